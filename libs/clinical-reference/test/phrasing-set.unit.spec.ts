import { PHRASINGS } from './phrasing-set';
import { dispositionSummary, ruleMetrics, runPhrasings } from './phrasing-metrics';

const outcomes = runPhrasings();
const where = (expect: (typeof PHRASINGS)[number]['expect'] | 'emergency') =>
  outcomes.filter((o) => (expect === 'emergency' ? o.phrasing.expect !== 'abdominal-pain' && o.phrasing.expect !== 'telemedicine' : o.phrasing.expect === expect));

describe('the phrasing set (issue 15)', () => {
  it('has at least 200 phrasings: 10 per emergency rule, abdominal pain and crisis; 60 fit for telemedicine (25 negated or past); 30 in Spanish', () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(200);
    const perRule = new Map<string, number>();
    for (const p of PHRASINGS) perRule.set(p.expect, (perRule.get(p.expect) ?? 0) + 1);
    for (const [rule, count] of perRule) if (rule !== 'telemedicine') expect([rule, count >= 10]).toEqual([rule, true]);
    expect(perRule.get('telemedicine')).toBeGreaterThanOrEqual(60);
    expect(PHRASINGS.filter((p) => p.context !== undefined).length).toBeGreaterThanOrEqual(25);
    expect(PHRASINGS.filter((p) => p.lang === 'es').length).toBeGreaterThanOrEqual(30);
  });

  it.each(where('emergency').map((o) => [o.phrasing.expect, o.phrasing.text, o] as const))('%s: "%s" is an emergency', (_rule, _text, o) => {
    expect(o.result.disposition).toBe('emergency');
  });

  it.each(where('suicidal-or-self-harm').map((o) => [o.phrasing.text, o] as const))('crisis: "%s" names 988 and 911, never a queue', (_text, o) => {
    expect(o.result.crisis).toBe(true);
    expect(o.result.guidance).toMatch(/988/);
    expect(o.result.guidance).toMatch(/911/);
  });

  it.each(where('abdominal-pain').map((o) => [o.phrasing.text, o] as const))('abdominal pain: "%s" is seen in person', (_text, o) => {
    expect(o.result.disposition).toBe('in-person');
  });

  it.each(where('telemedicine').map((o) => [o.phrasing.text, o] as const))('fit for telemedicine: "%s" is not an emergency', (_text, o) => {
    expect(o.result.disposition).not.toBe('emergency');
    expect(o.result.disposition).not.toBe('in-person');
  });

  it('every rule is measured, and the metrics add up', () => {
    const metrics = ruleMetrics(outcomes);
    expect(metrics.map((m) => m.rule).sort()).toEqual([...new Set(PHRASINGS.map((p) => p.expect))].filter((r) => r !== 'telemedicine').sort());
    for (const m of metrics) expect(m.truePositives + m.missed.length).toBe(m.positives);
    const summary = dispositionSummary(outcomes);
    expect(summary.telemedicine.phrasings).toBe(where('telemedicine').length);
  });
});
