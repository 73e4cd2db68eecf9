/**
 * npm run triage:metrics — runs the phrasing set of libs/clinical-reference against the triage
 * and writes tmp/triage-metrics.json (per-rule sensitivity and specificity, dispositions by group,
 * every miss and false alarm by its text), then prints the table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLINICAL_REFERENCE_VERSION } from '@carebridge/clinical-reference';
import { HELD_OUT } from '../libs/clinical-reference/test/held-out-set';
import { dispositionSummary, metricsTable, ruleMetrics, runPhrasings } from '../libs/clinical-reference/test/phrasing-metrics';

const outcomes = runPhrasings();
const metrics = ruleMetrics(outcomes);
const summary = dispositionSummary(outcomes);
const out = path.join(__dirname, '..', 'tmp', 'triage-metrics.json');
mkdirSync(path.dirname(out), { recursive: true });
const heldOut = runPhrasings(HELD_OUT);
const heldOutMetrics = ruleMetrics(heldOut);
const heldOutWrong = heldOut
  .filter((o) => (o.phrasing.expect === 'telemedicine' ? ['emergency', 'in-person'].includes(o.result.disposition) : o.phrasing.expect === 'abdominal-pain' ? o.result.disposition !== 'in-person' : o.result.disposition !== 'emergency'))
  .map((o) => ({ text: o.phrasing.text, expected: o.phrasing.expect, got: o.result.disposition, rules: o.result.rules }));
writeFileSync(
  out,
  `${JSON.stringify({ rulesVersion: CLINICAL_REFERENCE_VERSION, phrasings: outcomes.length, summary, metrics, heldOut: { phrasings: heldOut.length, summary: dispositionSummary(heldOut), metrics: heldOutMetrics, wrong: heldOutWrong } }, null, 2)}\n`,
);
process.stdout.write(`${metricsTable(metrics)}\n\n${JSON.stringify(summary, null, 2)}\n`);
for (const m of metrics) for (const text of m.missed) process.stdout.write(`missed ${m.rule}: ${text}\n`);
for (const m of metrics) for (const text of m.falseAlarms) process.stdout.write(`false alarm ${m.rule}: ${text}\n`);
for (const o of outcomes.filter((x) => x.phrasing.expect === 'telemedicine' && x.result.disposition !== 'virtual-ok')) {
  process.stdout.write(`telemedicine answered ${o.result.disposition}: ${o.phrasing.text} (${o.result.rules.join(', ')})\n`);
}
process.stdout.write(`\nheld-out set (written after the lexicon, never used to change it): ${heldOut.length} phrasings\n${metricsTable(heldOutMetrics)}\n`);
for (const w of heldOutWrong) process.stdout.write(`held-out wrong: ${w.text} (expected ${w.expected}, got ${w.got} ${w.rules.join(',')})\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
