import { type Status, findTriggers, statusOf } from './context';
import { CONCEPTS, type ConceptName } from './lexicon';
import type { NearPattern, Pattern } from './rules';
import { SENTENCE_END, type Token, tokenize } from './text';
import { type Span, type Term, compileTerm, findTerm, overlaps } from './terms';

/** One field of what the patient wrote, read once: tokens, sentences, where each concept stands. */
export interface ReadField {
  readonly field: string;
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly sentenceOf: readonly number[];
  readonly occurrences: ReadonlyMap<ConceptName, readonly Span[]>;
}

/** Where a pattern (or one concept of it) stands: its words, and whether they are the patient's now. */
export interface Hit {
  /** The words, by field (an `anywhere` finding may take words from several fields). */
  readonly parts: readonly { readonly field: string; readonly spans: readonly Span[] }[];
  readonly status: Status;
  /** An `unless` concept stood in the same sentence. */
  readonly weakened: boolean;
  /** Every word of it was read as a misspelling: a guess, reviewed rather than acted on. */
  readonly uncertain: boolean;
}

const allFuzzy = (spans: readonly Span[]) => spans.length > 0 && spans.every((s) => s.fuzzy === true);

const COMPILED: ReadonlyMap<ConceptName, { terms: readonly Term[]; except: readonly Term[] }> = new Map(
  (Object.entries(CONCEPTS) as [ConceptName, { terms: readonly string[]; except?: readonly string[] }][]).map(([name, c]) => [
    name,
    { terms: c.terms.map(compileTerm), except: (c.except ?? []).map(compileTerm) },
  ]),
);

function occurrencesOf(tokens: readonly Token[], name: ConceptName): Span[] {
  const { terms, except } = COMPILED.get(name)!;
  const excluded = except.flatMap((t) => findTerm(tokens, t));
  const found = terms
    .flatMap((t) => findTerm(tokens, t))
    .filter((s) => !excluded.some((x) => overlaps(x, s)))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  // Overlapping finds of one concept are one occurrence: keep the longest, a word as written before a guess.
  const kept: Span[] = [];
  const better = (a: Span, b: Span) => a.end - a.start > b.end - b.start || (a.end - a.start === b.end - b.start && b.fuzzy === true && a.fuzzy !== true);
  for (const span of found) {
    const last = kept.at(-1);
    if (last !== undefined && overlaps(last, span)) {
      if (better(span, last)) kept[kept.length - 1] = span;
    } else kept.push(span);
  }
  return kept;
}

export function readField(field: string, text: string): ReadField {
  const tokens = tokenize(text);
  let sentence = 0;
  const sentenceOf = tokens.map((t) => (t.norm === SENTENCE_END ? sentence++ : sentence));
  const occurrences = new Map<ConceptName, readonly Span[]>();
  for (const name of COMPILED.keys()) occurrences.set(name, occurrencesOf(tokens, name));
  return { field, text, tokens, sentenceOf, occurrences };
}

/** Tokens strictly between two spans that are not commas (the distance a `gap` counts). */
function wordsBetween(f: ReadField, a: Span, b: Span): number {
  const [first, second] = a.start <= b.start ? [a, b] : [b, a];
  let n = 0;
  for (let i = first.end; i < second.start; i++) if (f.tokens[i]!.norm !== ',') n++;
  return n;
}

function inSentence(f: ReadField, concept: ConceptName, sentence: number): boolean {
  // A guessed word (a misspelling) never explains a finding away.
  return f.occurrences.get(concept)!.some((s) => f.sentenceOf[s.start] === sentence && s.fuzzy !== true);
}

/** Every place a near pattern stands in one field (without status yet). */
function nearSpans(f: ReadField, p: NearPattern): { spans: Span[]; weakened: boolean }[] {
  const lists = p.near.map((c) => f.occurrences.get(c)!);
  const combos: Span[][] = [[]];
  for (const list of lists) {
    const next: Span[][] = [];
    for (const combo of combos) for (const span of list) next.push([...combo, span]);
    combos.splice(0, combos.length, ...next);
    if (combos.length > 2000) break; // an absurdly long text: the first combinations suffice
  }
  const found: { spans: Span[]; weakened: boolean }[] = [];
  for (const combo of combos) {
    if (combo.length !== p.near.length) continue;
    const sentence = f.sentenceOf[combo[0]!.start]!;
    if (combo.some((s) => f.sentenceOf[s.start] !== sentence)) continue;
    const ordered = [...combo].sort((a, b) => a.start - b.start);
    let ok = true;
    for (let i = 1; i < ordered.length && ok; i++) {
      const prev = ordered[i - 1]!;
      const cur = ordered[i]!;
      if (!overlaps(prev, cur) && wordsBetween(f, prev, cur) > p.gap) ok = false;
      if (ok && p.noSiteBetween) {
        const between = { start: Math.min(prev.end, cur.start), end: Math.max(prev.end, cur.start) };
        const sites = f.occurrences.get('bodySite')!.filter((s) => s.start >= between.start && s.end <= between.end && !combo.some((c) => overlaps(c, s)));
        if (sites.length > 0) ok = false;
      }
    }
    if (!ok) continue;
    if (p.noSiteBetween && nearerSite(f, combo)) continue;
    const weakened = (p.unless ?? []).some((c) => inSentence(f, c, sentence));
    found.push({ spans: ordered, weakened });
  }
  return merged(found);
}

/**
 * With `noSiteBetween`, the first concept is the site: another body site closer to a quality word
 * than that site takes the word ("chest congestion and a sore throat": sore belongs to the throat).
 */
function nearerSite(f: ReadField, combo: readonly Span[]): boolean {
  const [site, ...rest] = combo;
  const others = f.occurrences.get('bodySite')!.filter((s) => !combo.some((c) => overlaps(c, s)) && f.sentenceOf[s.start] === f.sentenceOf[site!.start]);
  return rest.some((m) => {
    const own = overlaps(site!, m) ? 0 : wordsBetween(f, site!, m);
    return others.some((o) => wordsBetween(f, o, m) < own);
  });
}

/** Overlapping finds of one pattern are one finding ("heavy weight sitting on my chest"). */
function merged(found: readonly { spans: Span[]; weakened: boolean }[]): { spans: Span[]; weakened: boolean }[] {
  const range = (x: { spans: Span[] }): Span => ({ start: Math.min(...x.spans.map((s) => s.start)), end: Math.max(...x.spans.map((s) => s.end)) });
  const out: { spans: Span[]; weakened: boolean }[] = [];
  for (const x of [...found].sort((a, b) => range(a).start - range(b).start)) {
    const last = out.at(-1);
    if (last !== undefined && overlaps(range(last), range(x))) {
      const spans = [...last.spans, ...x.spans.filter((s) => !last.spans.some((l) => l.start === s.start && l.end === s.end))].sort((a, b) => a.start - b.start);
      out[out.length - 1] = { spans, weakened: last.weakened && x.weakened };
    } else out.push({ spans: [...x.spans], weakened: x.weakened });
  }
  return out;
}

export interface PatternFind {
  readonly pattern: Pattern;
  readonly hits: readonly Hit[];
}

const RANK: Record<Status, number> = { affirmed: 0, hypothetical: 1, historical: 2, negated: 3 };

/** The worst status of a finding's words: one negated word negates the finding ("my chest does not hurt"). */
function combined(statuses: readonly Status[]): Status {
  return statuses.reduce<Status>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'affirmed');
}

/**
 * Reads all fields against all patterns: first where each pattern stands, then the triggers (those
 * inside a found pattern's words are the finding's own), then each finding's status.
 */
export function findPatterns(fields: readonly ReadField[], patterns: readonly Pattern[]): PatternFind[] {
  const nearOf = (p: NearPattern) => fields.map((f) => ({ f, found: nearSpans(f, p) }));
  const raw = patterns.map((pattern) =>
    'near' in pattern ? { pattern, near: nearOf(pattern) } : { pattern, items: pattern.anywhere.map((item) => (typeof item === 'string' ? { concept: item } : { group: item, found: nearOf(item) })) },
  );
  const findingSpans = new Map<ReadField, Span[]>(fields.map((f) => [f, []]));
  for (const r of raw) {
    if ('near' in r && r.near !== undefined) for (const { f, found } of r.near) findingSpans.get(f)!.push(...found.flatMap((x) => x.spans));
    if ('items' in r && r.items !== undefined) {
      for (const item of r.items) {
        if ('group' in item && item.group !== undefined) for (const { f, found } of item.found) findingSpans.get(f)!.push(...found.flatMap((x) => x.spans));
      }
    }
  }
  const triggers = new Map(fields.map((f) => [f, findTriggers(f.tokens, findingSpans.get(f)!)]));
  const status = (f: ReadField, spans: readonly Span[]) => combined(spans.map((s) => statusOf(f.tokens, triggers.get(f)!, s)));
  const hitsOfNear = (found: { f: ReadField; found: { spans: Span[]; weakened: boolean }[] }[]): Hit[] =>
    found.flatMap(({ f, found: list }) => list.map((x) => ({ parts: [{ field: f.field, spans: x.spans }], status: status(f, x.spans), weakened: x.weakened, uncertain: allFuzzy(x.spans) })));

  return raw.map((r) => {
    if ('near' in r && r.near !== undefined) return { pattern: r.pattern, hits: hitsOfNear(r.near) };
    // anywhere: the best standing of each item, then the finding is as good as its worst item.
    const best: Hit[] = [];
    for (const item of r.items!) {
      const hits: Hit[] =
        'concept' in item && item.concept !== undefined
          ? fields.flatMap((f) => f.occurrences.get(item.concept)!.map((s) => ({ parts: [{ field: f.field, spans: [s] }], status: status(f, [s]), weakened: false, uncertain: allFuzzy([s]) })))
          : hitsOfNear((item as { found: { f: ReadField; found: { spans: Span[]; weakened: boolean }[] }[] }).found);
      if (hits.length === 0) return { pattern: r.pattern, hits: [] };
      best.push([...hits].sort((a, b) => RANK[a.status] - RANK[b.status])[0]!);
    }
    const joined: Hit = {
      parts: best.flatMap((h) => h.parts),
      status: combined(best.map((h) => h.status)),
      weakened: best.some((h) => h.weakened),
      uncertain: allFuzzy(best.flatMap((h) => h.parts.flatMap((p) => p.spans))),
    };
    return { pattern: r.pattern, hits: [joined] };
  });
}

/** The patient's own words for a hit (several places joined with " … "). */
export function phraseOf(fields: readonly ReadField[], hit: Hit): string {
  return hit.parts
    .map((part) => {
      const f = fields.find((x) => x.field === part.field)!;
      const start = Math.min(...part.spans.map((s) => f.tokens[s.start]!.start));
      const end = Math.max(...part.spans.map((s) => f.tokens[s.end - 1]!.end));
      return f.text.slice(start, end);
    })
    .join(' … ');
}

/** The fields a hit's words come from, joined ("reason+intake.description"). */
export const fieldsOf = (hit: Hit): string => [...new Set(hit.parts.map((p) => p.field))].join('+');
