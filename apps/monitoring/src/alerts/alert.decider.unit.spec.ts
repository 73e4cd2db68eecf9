import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { AlertNotOpenError, type AlertCommand, alertDecider } from './alert.decider';
import type { AlertEvent } from './alert.events';

const spec = DeciderSpecification.for(alertDecider);
const meta: CommandMetadata = { now: new Date('2026-03-01T12:00:00Z'), actor: { id: 'doc-1', role: 'provider' }, correlationId: 'c' };
const raisedData = {
  alertId: 'a1',
  patientId: 'pat',
  ruleId: 'bp-hypertensive-crisis',
  kind: 'threshold' as const,
  severity: 'critical' as const,
  readingIds: ['r1'],
  measuredAt: '2026-03-01T11:59:00.000Z',
  careTeam: ['doc-1', 'doc-2'],
  assigneeId: 'doc-1',
  escalateAfterSeconds: 900,
};
const raised: AlertEvent = { type: 'AlertRaised', data: raisedData };
const raise = (data: Partial<typeof raisedData> = {}): AlertCommand => ({ type: 'RaiseAlert', data: { ...raisedData, ...data }, metadata: meta });
const acked: AlertEvent = { type: 'AlertAcknowledged', data: { alertId: 'a1', patientId: 'pat', ruleId: 'bp-hypertensive-crisis', by: 'doc-1' } };
const resolved: AlertEvent = { type: 'AlertResolved', data: { alertId: 'a1', patientId: 'pat', ruleId: 'bp-hypertensive-crisis', by: 'doc-1' } };
const escalated: AlertEvent = {
  type: 'AlertEscalated',
  data: { alertId: 'a1', patientId: 'pat', ruleId: 'bp-hypertensive-crisis', level: 1, assigneeId: 'doc-2', escalateAfterSeconds: 900 },
};

describe('alert', () => {
  describe('when none is open', () => {
    it('raises one with the readings that caused it', () => spec.given([]).when(raise()).then([raised]));
    it('raises a new one after the last was resolved', () =>
      spec.given([raised, resolved]).when(raise({ alertId: 'a2', readingIds: ['r9'] })).then([{ type: 'AlertRaised', data: { ...raisedData, alertId: 'a2', readingIds: ['r9'] } }]));
  });

  describe('when open', () => {
    it('attaches new readings to the open alert instead of raising another (no storm)', () =>
      spec.given([raised]).when(raise({ alertId: 'other', readingIds: ['r1', 'r2'], measuredAt: '2026-03-01T12:05:00.000Z' })).then([
        { type: 'AlertUpdated', data: { alertId: 'a1', patientId: 'pat', ruleId: 'bp-hypertensive-crisis', readingIds: ['r2'], measuredAt: '2026-03-01T12:05:00.000Z' } },
      ]));
    it('ignores readings it already holds', () => spec.given([raised]).when(raise()).thenNothingHappens());
    it('is acknowledged', () => spec.given([raised]).when({ type: 'AcknowledgeAlert', data: { alertId: 'a1' }, metadata: meta }).then([acked]));
    it('escalates to the next care-team member when still open at that level', () =>
      spec.given([raised]).when({ type: 'EscalateAlert', data: { alertId: 'a1', level: 0 }, metadata: meta }).then([escalated]));
    it('does not escalate past the last member', () =>
      spec.given([raised, escalated]).when({ type: 'EscalateAlert', data: { alertId: 'a1', level: 1 }, metadata: meta }).thenNothingHappens());
    it('ignores a stale escalation job', () =>
      spec.given([raised, escalated]).when({ type: 'EscalateAlert', data: { alertId: 'a1', level: 0 }, metadata: meta }).thenNothingHappens());
  });

  describe('when acknowledged', () => {
    it('does not escalate', () =>
      spec.given([raised, acked]).when({ type: 'EscalateAlert', data: { alertId: 'a1', level: 0 }, metadata: meta }).thenNothingHappens());
    it('acknowledging again changes nothing', () =>
      spec.given([raised, acked]).when({ type: 'AcknowledgeAlert', data: { alertId: 'a1' }, metadata: meta }).thenNothingHappens());
    it('is resolved', () => spec.given([raised, acked]).when({ type: 'ResolveAlert', data: { alertId: 'a1' }, metadata: meta }).then([resolved]));
  });

  describe('when resolved', () => {
    it('refuses acknowledgement naming the state', () =>
      spec.given([raised, resolved]).when({ type: 'AcknowledgeAlert', data: { alertId: 'a1' }, metadata: meta }).thenThrows(AlertNotOpenError));
  });
});
