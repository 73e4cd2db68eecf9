import { readFileSync } from 'node:fs';
import { CONCEPTS } from '../libs/clinical-reference/src/lexicon';
import { compileTerm, findTerm } from '../libs/clinical-reference/src/terms';
const terms = Object.entries(CONCEPTS).flatMap(([name, c]) => (c as { terms: readonly string[] }).terms.map((t) => ({ name, t, term: compileTerm(t) })));
const words = readFileSync('/tmp/i15b-words.txt', 'utf8').split('\n');
const hits = new Map<string, string[]>();
for (const w of words) {
  const tokens = [{ norm: w, start: 0, end: 1 }];
  for (const { name, t, term } of terms) {
    if (term.length !== 1) continue;
    const spans = findTerm(tokens, term);
    if (spans.some((s) => s.fuzzy)) hits.set(w, [...(hits.get(w) ?? []), `${name}:${t}`]);
  }
}
for (const [w, list] of hits) console.log(w, [...new Set(list)].slice(0, 3).join(' '));
