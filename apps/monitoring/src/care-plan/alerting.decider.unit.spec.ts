import type { ReadingRecorded } from '../readings/readings.events';
import { type AlertingInput, type AlertingOutput, type AlertingPatient, type AlertingState, decideAlerting, historyKey, historyWanted } from './alerting.decider';

type Reading = ReadingRecorded['data'];
const LB = 0.45359237;
const NOW = new Date('2026-03-07T12:00:00.000Z');

const patient = (conditions: AlertingPatient['conditions'], adjustments: AlertingPatient['adjustments'] = []): AlertingPatient => ({
  patientId: 'pat',
  conditions,
  adjustments,
  careTeam: ['doc-1', 'doc-2'],
  escalateAfterSeconds: 900,
});
const bp = (id: string, systolic: number, diastolic: number, at = '2026-03-07T08:00:00.000Z'): Reading => ({
  patientId: 'pat', deviceId: 'dev', readingId: id, kind: 'blood-pressure', loinc: '85354-9', measuredAt: at, systolic, diastolic, unit: 'mm[Hg]',
});
const weight = (id: string, lb: number, at: string): Reading => ({ patientId: 'pat', deviceId: 'dev', readingId: id, kind: 'body-weight', loinc: '29463-7', measuredAt: at, value: lb * LB, unit: 'kg' });
const intake = (id: string, taken: boolean, at: string): Reading => ({ patientId: 'pat', deviceId: 'dev', readingId: id, kind: 'medication-intake', loinc: 'x', measuredAt: at, taken });
const recorded = (...readings: Reading[]): AlertingInput => ({ type: 'ReadingsRecorded', readings });

/** given (what the read models know) / when (what the log brought) / then (what alerting does). */
const given = (p: AlertingPatient | undefined, history: Reading[] = []) => {
  const state: AlertingState = {
    patients: new Map(p ? [[p.patientId, p]] : []),
    history: history.reduce((map, h) => map.set(historyKey(h.patientId, h.kind), [...(map.get(historyKey(h.patientId, h.kind)) ?? []), h]), new Map<string, Reading[]>()),
  };
  return { when: (input: AlertingInput) => decideAlerting(input, state, NOW) };
};
const raised = (outputs: AlertingOutput[]) =>
  outputs.flatMap((o) => (o.kind === 'raise' ? [{ ruleId: o.alert.ruleId, readingIds: o.alert.readingIds }] : []));
const ignored = (outputs: AlertingOutput[]) => outputs.flatMap((o) => (o.kind === 'ignore' ? [[o.readingId, o.reason]] : []));

describe('alerting', () => {
  describe('when a hypertension patient sends a blood pressure', () => {
    const hypertension = patient(['hypertension']);

    it('a crisis reading (systolic 180) raises the alert of the patient\'s rule, assigned to the first of the care team', () => {
      const [output] = given(hypertension).when(recorded(bp('r1', 180, 100)));
      expect(output).toEqual({
        kind: 'raise',
        causeReadingId: 'r1',
        alert: {
          patientId: 'pat',
          ruleId: 'bp-hypertensive-crisis',
          kind: 'threshold',
          severity: 'critical',
          readingIds: ['r1'],
          measuredAt: '2026-03-07T08:00:00.000Z',
          careTeam: ['doc-1', 'doc-2'],
          assigneeId: 'doc-1',
          escalateAfterSeconds: 900,
        },
        metadata: {
          now: NOW,
          actor: { id: 'monitoring-alerting', role: 'system' },
          correlationId: 'r1',
          causationId: 'r1',
          commandId: 'raise-bp-hypertensive-crisis-r1',
          purpose: 'treatment',
        },
      });
    });

    it('179/119 is ignored as within the care plan', () => {
      expect(given(hypertension).when(recorded(bp('r1', 179, 119)))).toEqual([{ kind: 'ignore', reason: 'WITHIN_CARE_PLAN', readingId: 'r1' }]);
    });

    it('two crisis readings in one batch raise one alert holding both, measured at the later one (no alert storm)', () => {
      const outputs = given(hypertension).when(recorded(bp('r1', 185, 100, '2026-03-07T08:00:00.000Z'), bp('r2', 190, 100, '2026-03-07T08:05:00.000Z')));
      expect(raised(outputs)).toEqual([{ ruleId: 'bp-hypertensive-crisis', readingIds: ['r1', 'r2'] }]);
      expect(outputs.find((o) => o.kind === 'raise')).toMatchObject({ alert: { measuredAt: '2026-03-07T08:05:00.000Z' } });
    });

    it('the same batch decided again raises the same alert (a replay after a crash is harmless)', () => {
      const batch = recorded(bp('r1', 185, 100));
      expect(given(hypertension).when(batch)).toEqual(given(hypertension).when(batch));
    });

    it('uses the threshold the provider adjusted for this patient', () => {
      const adjusted = patient(['hypertension'], [{ ruleId: 'bp-hypertensive-crisis', when: [{ field: 'systolic', atOrAbove: 190 }] }]);
      expect(raised(given(adjusted).when(recorded(bp('r1', 185, 100))))).toEqual([]);
      expect(raised(given(adjusted).when(recorded(bp('r2', 190, 100))))).toEqual([{ ruleId: 'bp-hypertensive-crisis', readingIds: ['r2'] }]);
    });

    it('a rule the provider turned off raises nothing', () => {
      const off = patient(['hypertension'], [{ ruleId: 'bp-hypertensive-crisis', enabled: false }]);
      expect(ignored(given(off).when(recorded(bp('r1', 200, 130))))).toEqual([['r1', 'WITHIN_CARE_PLAN']]);
    });
  });

  describe('when the patient is not monitored', () => {
    it('a reading is ignored, naming why', () => {
      expect(given(undefined).when(recorded(bp('r1', 200, 130)))).toEqual([{ kind: 'ignore', reason: 'PATIENT_NOT_MONITORED', readingId: 'r1' }]);
    });
  });

  describe('when a heart-failure patient sends a weight', () => {
    const heartFailure = patient(['heart-failure']);

    it('more than 2 lb over the lowest weight of the last 24 h raises a trend alert naming the baseline reading', () => {
      const outputs = given(heartFailure, [weight('w1', 180, '2026-03-06T09:00:00.000Z')]).when(recorded(weight('w2', 182.5, '2026-03-07T08:00:00.000Z')));
      expect(raised(outputs)).toEqual([{ ruleId: 'hf-weight-gain-day', readingIds: ['w2', 'w1'] }]);
    });

    it('exactly 2 lb is not more than 2 lb', () => {
      const outputs = given(heartFailure, [weight('w1', 180, '2026-03-06T09:00:00.000Z')]).when(recorded(weight('w2', 182, '2026-03-07T08:00:00.000Z')));
      expect(raised(outputs)).toEqual([]);
    });

    it('a late reading re-evaluates the trend of a weight measured after it', () => {
      // w2 (measured later, stored earlier) was 1 lb over w0; the late w1 is 3 lb under w2 within its day.
      const history = [weight('w0', 181, '2026-03-05T08:00:00.000Z'), weight('w2', 182, '2026-03-07T08:00:00.000Z'), weight('w1', 179, '2026-03-06T12:00:00.000Z')];
      const outputs = given(heartFailure, history).when(recorded(weight('w1', 179, '2026-03-06T12:00:00.000Z')));
      expect(raised(outputs)).toEqual([{ ruleId: 'hf-weight-gain-day', readingIds: ['w2', 'w1'] }]);
    });
  });

  describe('when a patient misses doses', () => {
    it('a second missed dose within 7 days raises an adherence alert with both readings', () => {
      const outputs = given(patient(['hypertension']), [intake('m1', false, '2026-03-02T08:00:00.000Z')]).when(recorded(intake('m2', false, '2026-03-05T08:00:00.000Z')));
      expect(raised(outputs)).toEqual([{ ruleId: 'medication-missed-doses', readingIds: ['m2', 'm1'] }]);
    });
  });

  describe('when one request records several readings of a patient', () => {
    it('two weights of the batch are compared with each other (the history holds only earlier requests\' readings)', () => {
      const outputs = given(patient(['heart-failure'])).when(recorded(weight('w1', 180, '2026-03-06T09:00:00.000Z'), weight('w2', 182.5, '2026-03-07T08:00:00.000Z')));
      expect(raised(outputs)).toEqual([{ ruleId: 'hf-weight-gain-day', readingIds: ['w2', 'w1'] }]);
    });

    it('two missed doses of the batch raise the adherence alert', () => {
      const outputs = given(patient(['hypertension'])).when(recorded(intake('m1', false, '2026-03-02T08:00:00.000Z'), intake('m2', false, '2026-03-05T08:00:00.000Z')));
      expect(raised(outputs)).toEqual([{ ruleId: 'medication-missed-doses', readingIds: ['m2', 'm1'] }]);
    });
  });

  describe('when an alert is raised or escalated', () => {
    const alertEvent = (type: 'AlertRaised' | 'AlertEscalated', level: number): AlertingInput => ({
      type,
      streamId: 'alert-pat-bp-hypertensive-crisis',
      alertId: 'a1',
      level,
      escalateAfterSeconds: 900,
      recordedAt: new Date('2026-03-07T11:50:00.000Z'),
    });

    it('a raised alert is due for escalation at level 0 after the care plan\'s acknowledgement time', () => {
      expect(given(undefined).when(alertEvent('AlertRaised', 0))).toEqual([
        { kind: 'escalate', job: { streamId: 'alert-pat-bp-hypertensive-crisis', alertId: 'a1', level: 0 }, dueAt: new Date('2026-03-07T12:05:00.000Z') },
      ]);
    });

    it('an escalated alert is due for the next escalation from its new level', () => {
      expect(given(undefined).when(alertEvent('AlertEscalated', 1))).toEqual([
        { kind: 'escalate', job: { streamId: 'alert-pat-bp-hypertensive-crisis', alertId: 'a1', level: 1 }, dueAt: new Date('2026-03-07T12:05:00.000Z') },
      ]);
    });
  });

  describe('the history alerting asks the read model for', () => {
    it('threshold rules need none', () => {
      expect(historyWanted([bp('r1', 200, 130)], new Map([['pat', patient(['hypertension'])]]))).toEqual([]);
    });

    it('a heart-failure weight needs the week before the earliest weight of the batch', () => {
      const readings = [weight('w2', 182, '2026-03-07T08:00:00.000Z'), weight('w1', 181, '2026-03-06T08:00:00.000Z')];
      expect(historyWanted(readings, new Map([['pat', patient(['heart-failure'])]]))).toEqual([{ patientId: 'pat', kind: 'body-weight', from: '2026-02-27T08:00:00.000Z' }]);
    });
  });
});
