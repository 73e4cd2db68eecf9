/**
 * npm run triage:metrics — runs the three phrasing sets of libs/clinical-reference against the
 * triage and writes tmp/triage-metrics.json, then prints, for each set: per-rule sensitivity and
 * specificity, how many emergency phrasings were answered virtual-ok (the dangerous miss), how many
 * telemedicine phrasings were answered emergency (or in-person) and the needs-review rate on
 * telemedicine, and every wrong answer.
 *
 * - phrasing set (test/phrasing-set.ts): written first, the lexicon was written with it in view;
 * - held-out (test/held-out-set.ts): written after the first lexicon;
 * - second (test/second-set.ts): written before the second pass of the engine;
 * - blind (test/blind-set.ts): written by someone who never read the engine, run only after the
 *   second pass; reported, never asserted and never used to change the lexicon.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLINICAL_REFERENCE_VERSION } from '@carebridge/clinical-reference';
import { HELD_OUT } from '../libs/clinical-reference/test/held-out-set';
import { type Phrasing, PHRASINGS } from '../libs/clinical-reference/test/phrasing-set';
import { dispositionSummary, metricsTable, ruleMetrics, runPhrasings, safetySummary, wrongAnswers } from '../libs/clinical-reference/test/phrasing-metrics';
import { SECOND_SET } from '../libs/clinical-reference/test/second-set';
import { BLIND } from '../libs/clinical-reference/test/blind-set';

const SETS: readonly { name: string; phrasings: readonly Phrasing[] }[] = [
  { name: 'phrasing-set', phrasings: PHRASINGS },
  { name: 'held-out', phrasings: HELD_OUT },
  { name: 'second-set', phrasings: SECOND_SET },
  { name: 'blind-set', phrasings: BLIND },
];

const report = SETS.map(({ name, phrasings }) => {
  const outcomes = runPhrasings(phrasings);
  return { name, phrasings: outcomes.length, safety: safetySummary(outcomes), summary: dispositionSummary(outcomes), metrics: ruleMetrics(outcomes), wrong: wrongAnswers(outcomes) };
});

const out = path.join(__dirname, '..', 'tmp', 'triage-metrics.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ rulesVersion: CLINICAL_REFERENCE_VERSION, sets: report }, null, 2)}\n`);

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
for (const set of report) {
  const s = set.safety;
  process.stdout.write(`\n## ${set.name}: ${set.phrasings} phrasings\n${metricsTable(set.metrics)}\n`);
  process.stdout.write(
    `emergencies caught ${s.emergencyCaught}/${s.emergencies}; emergencies -> virtual-ok ${s.emergencyToVirtualOk}, -> needs-review ${s.emergencyToReview}, -> in-person ${s.emergencyToInPerson}\n` +
      `abdominal -> in-person ${s.abdominalInPerson}/${s.abdominal}, -> virtual-ok ${s.abdominalToVirtualOk}\n` +
      `telemedicine ${s.telemedicine}: -> emergency ${s.telemedicineToEmergency}, -> in-person ${s.telemedicineToInPerson}, -> needs-review ${s.telemedicineToReview} (${pct(s.telemedicineReviewRate)})\n`,
  );
  for (const w of set.wrong) process.stdout.write(`  wrong: ${w.text} (expected ${w.expected}, got ${w.got}${w.rules.length > 0 ? ` ${w.rules.join(',')}` : ''})\n`);
}
process.stdout.write(`\nwrote ${path.relative(process.cwd(), out)}\n`);
