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
    const base = { periodEnd: '2026-03-30', interactive: true, interpretationMinutes: 0, consented: true, established: true, hasPractitioner: true, setupBilled: false };
    const variants = [
      codesForPeriod({ ...base, daysWithReadings: 16, managementMinutes: 5 }, rules),
      codesForPeriod({ ...base, daysWithReadings: 3, managementMinutes: 5, interactive: false }, rules),
      codesForPeriod({ ...base, daysWithReadings: 1, managementMinutes: 0 }, rules),
      codesForPeriod({ ...base, daysWithReadings: 1, managementMinutes: 0, consented: false, established: false, hasPractitioner: false }, rules),
    ];
    for (const { codes, reasonCodes } of variants) {
      expect(() =>
        monitoringPublisher(
          recorded(`rpm-${patientId}`, 'RpmPeriodClosed', {
            periodId: alertId, patientId, periodStart: '2026-03-01', periodEnd: '2026-03-30', daysWithReadings: 16, managementMinutes: 5,
            interpretationMinutes: 0, interactive: true, codes, reasonCodes, ruleSet: { ruleSetId: rules.ruleSetId, version: rules.version, source: rules.source },
          }),
        ),
      ).not.toThrow();
    }
  });

  it('keeps readings private', () => {
    expect(monitoringPublisher(recorded(`readings-${patientId}-2026-03-01`, 'ReadingRecorded', {}))).toEqual([]);
  });
});
