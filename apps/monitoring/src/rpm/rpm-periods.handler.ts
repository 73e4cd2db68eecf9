import { type EventStore, deterministicEventId, handle } from '@carebridge/event-store';
import type { Clock } from '../clock.port';
import type { MonitoredPatients } from '../enrolment/monitored-patients.projection';
import type { MonitoringProjections } from '../read-models.projection';
import type { InteractiveMinutes } from './interactive-minutes.projection';
import type { ReadingDays } from './reading-days.projection';
import type { ClosedRpmPeriods } from './rpm-periods.projection';
import { rpmDecider } from './rpm.decider';
import { firstOpenMonthStart, lastDayOfMonth, periodOf, ruleSetOn } from './rpm.rules';
import { rpmStreamId } from './rpm.stream';

/**
 * Closes every ended 30-day period (counted from the patient's first reading) that is not closed
 * yet: counts the days with readings and the interpretation minutes in the period, hands in the
 * management minutes per calendar month (UTC) of the months ended by the period's last day, and
 * lets the RPM decider choose the codes (device supply, set-up and interpretation under the rule
 * set in force on the period's last day; management per month, each month billed once, under the
 * set in force on the month's last day).
 */
export class RpmPeriods {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly readSide: {
      readonly projections: MonitoringProjections;
      readonly patients: MonitoredPatients;
      readonly days: ReadingDays;
      readonly minutes: InteractiveMinutes;
      readonly closed: ClosedRpmPeriods;
    },
  ) {}

  async closeDue(patientIds?: readonly string[]): Promise<{ patientId: string; periodStart: string; codes: readonly { code: string; units: number }[] }[]> {
    // Count days from a read model that holds everything stored so far.
    await this.readSide.projections.waitFor(await this.store.headPosition(), 60_000);
    const now = this.clock.now();
    const today = now.toISOString().slice(0, 10);
    const candidates = patientIds ?? (await this.readSide.days.patientsWithReadingsBefore(periodOf(today, -1).start));
    const closed: { patientId: string; periodStart: string; codes: readonly { code: string; units: number }[] }[] = [];
    for (const patientId of candidates) {
      const first = await this.readSide.days.firstReadingDay(patientId);
      const patient = await this.readSide.patients.patient(patientId);
      if (!first || !patient) continue;
      const done = new Set((await this.readSide.closed.rpmPeriods(patientId)).map((p) => p.periodStart));
      for (let n = 0; ; n++) {
        const period = periodOf(first, n);
        if (period.end >= today) break;
        if (done.has(period.start)) continue;
        const [days, minutes, months] = await Promise.all([
          this.readSide.days.daysWithReadings(patientId, period.start, period.end),
          this.readSide.minutes.minutes(patientId, period.start, period.end),
          this.readSide.minutes.managementMinutesByMonth(patientId, firstOpenMonthStart(period.end)),
        ]);
        const streamId = rpmStreamId(patientId);
        const result = await handle(this.store, streamId, rpmDecider, {
          type: 'CloseRpmPeriod',
          data: {
            periodId: deterministicEventId(streamId, `period:${period.start}`, 0),
            patientId,
            practitionerId: patient.billingPractitionerId,
            periodStart: period.start,
            periodEnd: period.end,
            daysWithReadings: days,
            managementMonths: months.map((m) => ({ ...m, rules: ruleSetOn(lastDayOfMonth(m.month)) })),
            interpretationMinutes: minutes.interpretation,
            consented: patient.consented,
            established: patient.established,
            hasPractitioner: true,
            program: patient.program,
            ruleSet: ruleSetOn(period.end),
          },
          metadata: {
            now,
            actor: { id: 'monitoring-rpm', role: 'system' },
            correlationId: `rpm-${patientId}-${period.start}`,
            commandId: `close-${period.start}`,
            purpose: 'payment',
          },
        });
        await this.readSide.projections.include(result.newEvents);
        const event = result.newEvents[0];
        if (event) closed.push({ patientId, periodStart: period.start, codes: (event.data as { codes: { code: string; units: number }[] }).codes });
      }
    }
    return closed;
  }
}
