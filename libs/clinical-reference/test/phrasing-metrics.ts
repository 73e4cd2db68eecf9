import { type TriageResult, triage } from '../src';
import { type Expected, PHRASINGS, type Phrasing } from './phrasing-set';

/**
 * Sensitivity and specificity of each rule on the phrasing set, for the report and
 * tmp/triage-metrics.json (tools/triage-metrics.ts). A rule "fires" when it decided the answer
 * (emergency for emergency rules, in-person for abdominal pain). A phrasing labelled with the rule
 * (or naming it in `also`) is a positive; every other phrasing is a negative, except those naming
 * it in `also`, which count for neither.
 */
export interface RuleMetrics {
  readonly rule: Expected;
  readonly positives: number;
  readonly truePositives: number;
  readonly negatives: number;
  readonly trueNegatives: number;
  readonly sensitivity: number;
  readonly specificity: number;
  readonly missed: readonly string[];
  readonly falseAlarms: readonly string[];
}

export interface PhrasingOutcome {
  readonly phrasing: Phrasing;
  readonly result: TriageResult;
}

export function runPhrasings(phrasings: readonly Phrasing[] = PHRASINGS): PhrasingOutcome[] {
  return phrasings.map((phrasing) => ({ phrasing, result: triage({ texts: [{ field: 'reason', text: phrasing.text }] }) }));
}

const fires = (result: TriageResult, rule: Expected) => result.rules.includes(rule) && result.disposition !== 'needs-review';

export function ruleMetrics(outcomes: readonly PhrasingOutcome[]): RuleMetrics[] {
  const rules = [...new Set(outcomes.map((o) => o.phrasing.expect))].filter((r) => r !== 'telemedicine');
  return rules.map((rule) => {
    const positives = outcomes.filter((o) => o.phrasing.expect === rule);
    const negatives = outcomes.filter((o) => o.phrasing.expect !== rule && !(o.phrasing.also ?? []).includes(rule));
    const missed = positives.filter((o) => !fires(o.result, rule));
    const falseAlarms = negatives.filter((o) => fires(o.result, rule));
    return {
      rule,
      positives: positives.length,
      truePositives: positives.length - missed.length,
      negatives: negatives.length,
      trueNegatives: negatives.length - falseAlarms.length,
      sensitivity: ratio(positives.length - missed.length, positives.length),
      specificity: ratio(negatives.length - falseAlarms.length, negatives.length),
      missed: missed.map((o) => o.phrasing.text),
      falseAlarms: falseAlarms.map((o) => o.phrasing.text),
    };
  });
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : Math.round((a / b) * 1000) / 1000);

/** The dispositions of the set by what each phrasing describes. */
export function dispositionSummary(outcomes: readonly PhrasingOutcome[]) {
  const group = (filter: (p: Phrasing) => boolean) => {
    const chosen = outcomes.filter((o) => filter(o.phrasing));
    const count = (d: TriageResult['disposition']) => chosen.filter((o) => o.result.disposition === d).length;
    return { phrasings: chosen.length, emergency: count('emergency'), inPerson: count('in-person'), needsReview: count('needs-review'), virtualOk: count('virtual-ok') };
  };
  return {
    emergencyAndCrisis: group((p) => p.expect !== 'abdominal-pain' && p.expect !== 'telemedicine'),
    abdominal: group((p) => p.expect === 'abdominal-pain'),
    telemedicine: group((p) => p.expect === 'telemedicine'),
    telemedicineNegatedOrHistorical: group((p) => p.expect === 'telemedicine' && p.context !== undefined),
    spanish: group((p) => p.lang === 'es'),
  };
}

export function metricsTable(metrics: readonly RuleMetrics[]): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const rows = metrics.map((m) => `| ${m.rule} | ${m.truePositives}/${m.positives} | ${pct(m.sensitivity)} | ${m.trueNegatives}/${m.negatives} | ${pct(m.specificity)} |`);
  return ['| rule | caught | sensitivity | not raised | specificity |', '| --- | ---: | ---: | ---: | ---: |', ...rows].join('\n');
}

const isEmergency = (p: Phrasing) => p.expect !== 'abdominal-pain' && p.expect !== 'telemedicine';

/**
 * What matters most for safety: emergencies answered virtual-ok (the dangerous miss) or only
 * needs-review, and telemedicine answered emergency (a false alarm) or needs-review (a nurse's time).
 */
export function safetySummary(outcomes: readonly PhrasingOutcome[]) {
  const emergencies = outcomes.filter((o) => isEmergency(o.phrasing));
  const abdominal = outcomes.filter((o) => o.phrasing.expect === 'abdominal-pain');
  const telemedicine = outcomes.filter((o) => o.phrasing.expect === 'telemedicine');
  const count = (list: readonly PhrasingOutcome[], d: TriageResult['disposition']) => list.filter((o) => o.result.disposition === d).length;
  return {
    emergencies: emergencies.length,
    emergencyCaught: count(emergencies, 'emergency'),
    emergencyToVirtualOk: count(emergencies, 'virtual-ok'),
    emergencyToReview: count(emergencies, 'needs-review'),
    emergencyToInPerson: count(emergencies, 'in-person'),
    abdominal: abdominal.length,
    abdominalInPerson: count(abdominal, 'in-person') + count(abdominal, 'emergency'),
    abdominalToVirtualOk: count(abdominal, 'virtual-ok'),
    telemedicine: telemedicine.length,
    telemedicineToEmergency: count(telemedicine, 'emergency'),
    telemedicineToInPerson: count(telemedicine, 'in-person'),
    telemedicineToReview: count(telemedicine, 'needs-review'),
    telemedicineReviewRate: ratio(count(telemedicine, 'needs-review'), telemedicine.length),
  };
}

/** Every phrasing answered other than its label asks (telemedicine: anything but virtual-ok or needs-review). */
export function wrongAnswers(outcomes: readonly PhrasingOutcome[]) {
  return outcomes
    .filter((o) => {
      const d = o.result.disposition;
      if (o.phrasing.expect === 'telemedicine') return d === 'emergency' || d === 'in-person';
      if (o.phrasing.expect === 'abdominal-pain') return d !== 'in-person' && d !== 'emergency';
      return d !== 'emergency';
    })
    .map((o) => ({ text: o.phrasing.text, expected: o.phrasing.expect, got: o.result.disposition, rules: o.result.rules }));
}
