import type { ReadingRecorded } from '../readings/readings.events';
import { effectiveRules, evaluateReading } from './care-plan.rules';

type Reading = ReadingRecorded['data'];
const LB = 0.45359237;
const base = { patientId: 'pat', deviceId: 'dev' };
const bp = (id: string, systolic: number, diastolic: number, at = '2026-03-01T08:00:00.000Z'): Reading => ({
  ...base, readingId: id, kind: 'blood-pressure', loinc: '85354-9', measuredAt: at, systolic, diastolic, unit: 'mm[Hg]',
});
const weight = (id: string, lb: number, at: string): Reading => ({ ...base, readingId: id, kind: 'body-weight', loinc: '29463-7', measuredAt: at, value: lb * LB, unit: 'kg' });
const glucose = (id: string, value: number): Reading => ({ ...base, readingId: id, kind: 'blood-glucose', loinc: '2339-0', measuredAt: '2026-03-01T08:00:00.000Z', value, unit: 'mg/dL' });
const intake = (id: string, taken: boolean, at: string): Reading => ({ ...base, readingId: id, kind: 'medication-intake', loinc: 'x', measuredAt: at, taken });

describe('hypertension thresholds (AHA hypertensive crisis)', () => {
  const rules = effectiveRules(['hypertension'], []);
  it('systolic 180 fires', () => expect(evaluateReading(bp('r1', 180, 100), rules, []).map((b) => b.ruleId)).toEqual(['bp-hypertensive-crisis']));
  it('diastolic 120 fires', () => expect(evaluateReading(bp('r1', 150, 120), rules, [])).toHaveLength(1));
  it('179/119 does not', () => expect(evaluateReading(bp('r1', 179, 119), rules, [])).toEqual([]));
  it('a provider may raise the threshold for one patient', () => {
    const adjusted = effectiveRules(['hypertension'], [{ ruleId: 'bp-hypertensive-crisis', when: [{ field: 'systolic', atOrAbove: 190 }] }]);
    expect(evaluateReading(bp('r1', 185, 100), adjusted, [])).toEqual([]);
    expect(evaluateReading(bp('r1', 190, 100), adjusted, [])).toHaveLength(1);
  });
  it('a provider may turn a rule off', () => {
    expect(evaluateReading(bp('r1', 200, 130), effectiveRules(['hypertension'], [{ ruleId: 'bp-hypertensive-crisis', enabled: false }]), [])).toEqual([]);
  });
});

describe('diabetes glucose (ADA)', () => {
  const rules = effectiveRules(['diabetes'], []);
  it('below 70 mg/dL fires glucose-low', () => expect(evaluateReading(glucose('g', 69), rules, []).map((b) => b.ruleId)).toEqual(['glucose-low']));
  it('above 300 fires glucose-high', () => expect(evaluateReading(glucose('g', 301), rules, []).map((b) => b.ruleId)).toEqual(['glucose-high']));
  it('70 and 300 do not', () => expect([...evaluateReading(glucose('g', 70), rules, []), ...evaluateReading(glucose('g', 300), rules, [])]).toEqual([]));
});

describe('heart-failure weight trend (HFSA/AHA)', () => {
  const rules = effectiveRules(['heart-failure'], []);
  it('more than 2 lb in a day fires, naming the baseline reading', () => {
    const breaches = evaluateReading(weight('w2', 182.5, '2026-03-02T08:00:00.000Z'), rules, [weight('w1', 180, '2026-03-01T09:00:00.000Z')]);
    expect(breaches.map((b) => [b.ruleId, b.readingIds])).toEqual([['hf-weight-gain-day', ['w2', 'w1']]]);
  });
  it('exactly 2 lb in a day does not', () => {
    expect(evaluateReading(weight('w2', 182, '2026-03-02T08:00:00.000Z'), rules, [weight('w1', 180, '2026-03-01T09:00:00.000Z')])).toEqual([]);
  });
  it('more than 5 lb in a week fires the weekly rule', () => {
    const history = [weight('w1', 180, '2026-03-01T08:00:00.000Z'), weight('w2', 181.5, '2026-03-03T08:00:00.000Z'), weight('w3', 183.5, '2026-03-05T08:00:00.000Z'), weight('w4', 184.5, '2026-03-06T08:00:00.000Z')];
    const breaches = evaluateReading(weight('w5', 185.5, '2026-03-07T08:00:00.000Z'), rules, history);
    expect(breaches.map((b) => b.ruleId)).toEqual(['hf-weight-gain-week']);
  });
  it('a late reading is compared with what was measured before it, not what arrived before it', () => {
    const later = weight('w3', 190, '2026-03-03T08:00:00.000Z');
    expect(evaluateReading(weight('w2', 180.5, '2026-03-02T08:00:00.000Z'), rules, [weight('w1', 180, '2026-03-01T09:00:00.000Z'), later])).toEqual([]);
  });
});

describe('adherence', () => {
  const rules = effectiveRules(['hypertension'], []);
  it('a second missed dose within 7 days fires, with both readings', () => {
    const breaches = evaluateReading(intake('m2', false, '2026-03-05T08:00:00.000Z'), rules, [intake('m1', false, '2026-03-01T08:00:00.000Z'), intake('t1', true, '2026-03-02T08:00:00.000Z')]);
    expect(breaches.map((b) => [b.ruleId, b.readingIds])).toEqual([['medication-missed-doses', ['m2', 'm1']]]);
  });
  it('one missed dose, or misses 8 days apart, do not', () => {
    expect(evaluateReading(intake('m2', false, '2026-03-09T08:00:00.000Z'), rules, [intake('m1', false, '2026-03-01T08:00:00.000Z')])).toEqual([]);
  });
});
