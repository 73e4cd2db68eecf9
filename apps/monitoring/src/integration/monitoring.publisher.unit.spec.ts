import type { RecordedEvent } from '@carebridge/event-store';
import { monitoringPublisher } from './monitoring.publisher';
import { codesForPeriod, ruleSetOn } from '../rpm/rpm.rules';

const recorded = (streamId: string, type: string, data: unknown): RecordedEvent => ({
  eventId: '6f1c1c1e-4a43-4a3a-9a53-2f1f1a1b1c1d',
  streamId,
  streamVersion: 1,
  globalPosition: 1,
  type,
  schemaVersion: 1,
  data,
  metadata: { actor: { id: 'x', role: 'system' }, correlationId: 'c', occurredAt: '2026-03-01T00:00:00.000Z' },
  recordedAt: new Date('2026-03-01T00:00:00.000Z'),
  hash: 'h',
});
const patientId = '0d6c3f4e-8a38-4c1f-9a7e-1f2d3c4b5a69';
const alertId = '1d6c3f4e-8a38-4c1f-9a7e-1f2d3c4b5a69';
const readingId = '2d6c3f4e-8a38-4c1f-9a7e-1f2d3c4b5a69';

describe('monitoring publisher', () => {
  it('publishes a raised alert keyed by patient, without the care team list', () => {
    const [record] = monitoringPublisher(
      recorded(`alert-${patientId}-bp`, 'AlertRaised', {
        alertId, patientId, ruleId: 'bp-hypertensive-crisis', kind: 'threshold', severity: 'critical', readingIds: [readingId],
        measuredAt: '2026-03-01T00:00:00.000Z', careTeam: [patientId], escalateAfterSeconds: 900,
      }),
    );
    expect(record).toMatchObject({ topic: 'carebridge.monitoring.alert.v1', key: patientId });
    expect(record!.value).not.toContain('careTeam');
  });

  it('every reason code the RPM rules produce fits the RpmPeriodClosed contract', () => {
    const rules = ruleSetOn('2026-03-30')!;
    const base = { periodEnd: '2026-03-30', interpretationMinutes: 0, consented: true, established: true, hasPractitioner: true, setupBilled: false };
    const month = (minutes: number, interactive = true) => [{ month: '2026-02', minutes, interactive, rules }];
    const variants = [
      codesForPeriod({ ...base, daysWithReadings: 16, managementMonths: month(5) }, rules),
      codesForPeriod({ ...base, daysWithReadings: 3, managementMonths: month(5, false) }, rules),
      codesForPeriod({ ...base, daysWithReadings: 1, managementMonths: [] }, rules),
      codesForPeriod({ ...base, daysWithReadings: 1, managementMonths: [{ month: '2024-12', minutes: 30, interactive: true, rules: undefined }] }, rules),
      codesForPeriod({ ...base, daysWithReadings: 1, managementMonths: month(45), consented: false, established: false, hasPractitioner: false }, rules),
    ];
    for (const { codes, reasonCodes, months } of variants) {
      expect(() =>
        monitoringPublisher(
          recorded(`rpm-${patientId}`, 'RpmPeriodClosed', {
            periodId: alertId, patientId, periodStart: '2026-03-01', periodEnd: '2026-03-30', daysWithReadings: 16, managementMinutes: 5,
            interpretationMinutes: 0, interactive: true, codes, reasonCodes, ruleSet: { ruleSetId: rules.ruleSetId, version: rules.version, source: rules.source },
            managementMonths: months,
          }),
        ),
      ).not.toThrow();
    }
  });

  it('publishes the billed calendar months, and still accepts an event without them', () => {
    const rules = ruleSetOn('2026-03-30')!;
    const data = {
      periodId: alertId, patientId, periodStart: '2026-03-01', periodEnd: '2026-03-30', daysWithReadings: 16, managementMinutes: 20,
      interpretationMinutes: 0, interactive: true, codes: [{ code: '99457', units: 1 }], reasonCodes: [], ruleSet: { ruleSetId: rules.ruleSetId, version: rules.version, source: rules.source },
    };
    const month = { month: '2026-02', minutes: 20, interactive: true, codes: [{ code: '99457', units: 1 }], reasonCodes: [], ruleSetVersion: '2026' };
    const [withMonths] = monitoringPublisher(recorded(`rpm-${patientId}`, 'RpmPeriodClosed', { ...data, managementMonths: [month] }));
    expect(JSON.parse(withMonths!.value)).toMatchObject({ data: { managementMonths: [month] } });
    const [legacy] = monitoringPublisher(recorded(`rpm-${patientId}`, 'RpmPeriodClosed', data));
    expect(legacy!.value).not.toContain('managementMonths');
  });

  it('keeps readings private', () => {
    expect(monitoringPublisher(recorded(`readings-${patientId}-2026-03-01`, 'ReadingRecorded', {}))).toEqual([]);
  });
});
