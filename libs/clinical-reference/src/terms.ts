import { CONCEPTS } from './lexicon';
import { COMMA, SENTENCE_END, type Token, editDistance } from './text';

/**
 * A term is a few words written as a patient or a clinician would ("can not breathe", "convuls*").
 * Each word matches a token:
 * - `word*`: any token starting so (seizure, seizures, seizing);
 * - `#num` any number, `#year` a year (1900-2099);
 * - a plain word: itself, its plural (-s, -es, -y/-ies), or one slip of the keyboard away
 *   (one letter added, dropped, changed or two swapped) when the word has six letters or more and
 *   the token is not a word we know means something else.
 * Between the words of a term, up to two filler words may stand ("hit my head", "perdí el
 * conocimiento"), so terms need not list every determiner.
 */
export type Term = readonly WordPattern[];

type WordPattern =
  | { readonly kind: 'word'; readonly word: string }
  | { readonly kind: 'prefix'; readonly stem: string }
  | { readonly kind: 'num' }
  | { readonly kind: 'year' };

/** Words that may stand inside a term without being written in it. */
const FILLERS = new Set([
  'my', 'the', 'a', 'an', 'his', 'her', 'their', 'your', 'our', 'its', 'some', 'really', 'very', 'so', 'too', 'all', 'even', 'just',
  'mi', 'mis', 'la', 'el', 'los', 'las', 'su', 'sus', 'un', 'una', 'tu', 'muy', 'me', 'se', 'le', 'te', 'lo', 'todo', 'toda',
]);

/**
 * Real words one edit away from a lexicon word: never read as its misspelling (never/fever,
 * fewer/fever, strike/stroke, breeding/bleeding, chess/chest...).
 */
const NOT_MISSPELLINGS = new Set([
  'never', 'fewer', 'strike', 'stroked', 'breeding', 'bleating', 'chess', 'bread', 'breather', 'turning', 'sprain', 'strain',
  'brain', 'blonde', 'bloody', 'though', 'thought', 'throats', 'waist', 'heated', 'hearth', 'smelling', 'spelling', 'sawing',
  'sewing', 'sitting', 'hitting', 'setting', 'making', 'taking', 'baking', 'walking', 'talked', 'walked', 'winter', 'blinds',
  'blinked', 'stinking', 'stocking', 'faster', 'fainter', 'dressed', 'crammed', 'number', 'buried', 'stroll', 'smoulder',
  'leisure', 'measure', 'pleasure', 'ashes', 'lashes', 'washes', 'version', 'feature', 'venture', 'mixture', 'voting',
  'feeding', 'needing', 'reading', 'leading', 'heading', 'fading', 'trading', 'grading', 'potted', 'lunges', 'lounge',
  'siento', 'sienta', 'tiento', 'cuento', 'techo', 'hecho', 'derecho', 'derecha',
  // five-letter neighbours (the first letter kept): heard/heart, paint/faint is caught by the first-letter rule
  'heard', 'hears', 'heat', 'beast', 'chase', 'cheat', 'chess', 'bloom', 'brood', 'blond', 'floor', 'fewer', 'lever', 'fiver',
  'tights', 'tighten', 'spots', 'spoke', 'spite', 'water', 'wheel', 'where', 'words', 'worse', 'worst', 'sweat', 'burst', 'brush',
  'burnt', 'shake', 'slurp', 'stuff', 'stiff', 'staff', 'stuck', 'stock', 'stick', 'blurt', 'brain', 'bread', 'break', 'broke',
  'brake', 'bones', 'bonus', 'boned', 'faith', 'fainted', 'feint', 'falls', 'false', 'phone', 'pains', 'paint', 'point', 'print',
  'tongs', 'tonic', 'throw', 'three', 'threw', 'there', 'these', 'those', 'swell', 'smell', 'spell', 'shell', 'still', 'stall',
  'dizzy', 'ditzy', 'numbs', 'fitted', 'sting', 'stung', 'swing', 'sling', 'bleed', 'bleep', 'blues', 'clues', 'glues',
  'seize', 'sense', 'mouse', 'house', 'horse', 'heavy', 'heady', 'cough', 'rough', 'tough', 'touch', 'sweet', 'tweet',
  'cooking', 'looking', 'booking', 'hooking', 'doing', 'going', 'being', 'dyeing', 'lying', 'tying', 'vying', 'dining', 'dinner', 'sleeping',
  'sweeping', 'weeping', 'keeping', 'seeping', 'beeping', 'creeping', 'bleeping', 'letting', 'fitting', 'sitter', 'bitter', 'butter',
  'batter', 'better', 'letter', 'matter', 'master', 'muster', 'mister', 'faster', 'plaster', 'blaster', 'burner', 'burger', 'banner',
  'fainting', 'painting', 'pointing', 'printing', 'shaking', 'baking', 'waking', 'raking', 'making', 'taking', 'staking', 'stoking',
  'smoking', 'soaking', 'joking', 'poking', 'choked', 'chicken', 'thicken', 'kitchen', 'stroller', 'trolley', 'chores', 'shores',
  'stores', 'scores', 'snores', 'snoring', 'storing', 'scoring', 'boring', 'pouring', 'touring', 'during', 'curing', 'luring',
  // real words one slip from a lexicon word, found by scanning ~10,000 common words against the lexicon
  'streams', 'stream', 'bind', 'enable', 'enables', 'constructor', 'construct', 'constructs', 'constructed', 'constructing', 'construction',
  'sell', 'string', 'strings', 'stringify', 'certain', 'started', 'starting', 'starring', 'stored', 'stated', 'readint', 'block', 'blocks',
  'sort', 'sorts', 'mark', 'slight', 'late', 'exposes', 'expose', 'steps', 'step', 'strip', 'strips', 'column', 'columns', 'parallel', 'tick',
  'entries', 'drink', 'drinks', 'play', 'doubles', 'caching', 'render', 'renders', 'pulls', 'spans', 'collisions', 'borrowed', 'borrow', 'shift',
  'rating', 'mocha', 'travel', 'accidents', 'join', 'joins', 'threats', 'threat', 'tracing', 'facing', 'skill', 'longs', 'patched', 'broker',
  'brokers', 'lingua', 'tapped', 'weigh', 'eight', 'twister', 'haste', 'claves', 'contracts', 'threshold', 'toots', 'shots', 'redaction',
  'cada', 'entre', 'dados', 'valor', 'cliente', 'sudar', 'lage', 'dobles', 'grade', 'locked', 'thorough', 'markus', 'slots',
]);

/** A word the lexicon itself uses is never read as a misspelling of another (sangre is not sangra). */
const LEXICON_WORDS = new Set(
  Object.values(CONCEPTS as Record<string, { terms: readonly string[]; except?: readonly string[] }>)
    .flatMap((c) => [...c.terms, ...(c.except ?? [])])
    .flatMap((t) => t.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').split(/\s+/))
    .filter((w) => !w.endsWith('*') && !w.startsWith('#')),
);
const notAMisspelling = (norm: string) => NOT_MISSPELLINGS.has(norm) || LEXICON_WORDS.has(norm);

export function compileTerm(text: string): Term {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w): WordPattern => {
      if (w === '#num') return { kind: 'num' };
      if (w === '#year') return { kind: 'year' };
      if (w.endsWith('*')) return { kind: 'prefix', stem: w.slice(0, -1) };
      return { kind: 'word', word: w };
    });
}

function plurals(word: string): string[] {
  const forms = [word, `${word}s`, `${word}es`];
  if (word.endsWith('y')) forms.push(`${word.slice(0, -1)}ies`);
  return forms;
}

/** Inflections that keep a word's meaning here: breathe -> breathing, breathed; bleed -> bleeding. */
const NOT_INFLECTIONS = new Set(['burning', 'heading', 'headed', 'backed', 'backing', 'handed', 'handing', 'sided', 'faced', 'facing', 'armed', 'legged', 'footed', 'footing', 'lipped', 'eyed', 'timed', 'sidewalk']);

function inflects(word: string, norm: string): boolean {
  if (word.length < 4 || NOT_INFLECTIONS.has(norm) || !norm.startsWith(word.endsWith('e') ? word.slice(0, -1) : word)) return false;
  const base = word.endsWith('e') ? word.slice(0, -1) : word;
  return ['ing', 'ed', 'd', 'in'].some((suffix) => norm === `${word}${suffix}` || norm === `${base}${suffix}`) || norm === `${word}${word.at(-1)}ing` || norm === `${word}${word.at(-1)}ed`;
}

type Match = 'exact' | 'fuzzy' | false;

function wordMatches(pattern: WordPattern, norm: string): Match {
  const exact = exactly(pattern, norm);
  if (exact) return 'exact';
  return slip(pattern, norm) ? 'fuzzy' : false;
}

/** The word itself, a plural or inflection, a prefix, a number: no doubt about it. */
function exactly(pattern: WordPattern, norm: string): boolean {
  switch (pattern.kind) {
    case 'num':
      return /^\d+(\.\d+)?$/.test(norm);
    case 'year':
      return /^(19|20)\d\d$/.test(norm);
    case 'prefix':
      return norm.startsWith(pattern.stem);
    case 'word':
      return plurals(pattern.word).includes(norm) || inflects(pattern.word, norm);
    default: {
      const exhaustive: never = pattern;
      return exhaustive;
    }
  }
}

/** One slip of the keyboard away (see `Term`): a likely misspelling, read with less confidence. */
function slip(pattern: WordPattern, norm: string): boolean {
  switch (pattern.kind) {
    case 'num':
    case 'year':
      return false;
    case 'prefix': {
      const stem = pattern.stem;
      // Stems of six letters or more, in a word not much longer than the stem (a stem is a word's start).
      if (stem.length < 6 || notAMisspelling(norm) || norm.length < stem.length - 1 || norm.length > stem.length + 5 || norm[0] !== stem[0]) return false;
      // A slip inside the stem: compare the token's first letters, one shorter, as long or one longer.
      return [stem.length - 1, stem.length, stem.length + 1].some((n) => editDistance(norm.slice(0, n), stem, 1, true) <= 1);
    }
    case 'word': {
      if (pattern.word.length < 5 || norm.length < 4 || notAMisspelling(norm) || /\d/.test(norm)) return false;
      // Five-letter words: the slip must keep the first letter (tight is not right, night or light).
      if (pattern.word.length === 5 && norm[0] !== pattern.word[0]) return false;
      return editDistance(norm, pattern.word, 1, true) <= 1 || editDistance(norm, `${pattern.word}s`, 1, true) <= 1;
    }
    default: {
      const exhaustive: never = pattern;
      return exhaustive;
    }
  }
}

/** A term found in the tokens: token indices [start, end), end exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** Some word of it was read as a misspelling (one edit away), not as written. */
  readonly fuzzy?: boolean;
}

/** Every place `term` stands in `tokens`, never across a sentence end or a comma. */
export function findTerm(tokens: readonly Token[], term: Term): Span[] {
  const found: Span[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const match = matchFrom(tokens, term, i);
    if (match !== undefined) found.push(match.fuzzy ? { start: i, end: match.end, fuzzy: true } : { start: i, end: match.end });
  }
  return found;
}

function matchFrom(tokens: readonly Token[], term: Term, start: number): { end: number; fuzzy: boolean } | undefined {
  let at = start;
  let fuzzy = false;
  for (let w = 0; w < term.length; w++) {
    let skipped = 0;
    // Fillers may stand between the words of a term (not before its first word).
    while (w > 0 && skipped < 2 && at < tokens.length && FILLERS.has(tokens[at]!.norm) && !wordMatches(term[w]!, tokens[at]!.norm)) {
      at++;
      skipped++;
    }
    const token = tokens[at];
    if (token === undefined || token.norm === SENTENCE_END || token.norm === COMMA) return undefined;
    const match = wordMatches(term[w]!, token.norm);
    if (!match) return undefined;
    if (match === 'fuzzy') fuzzy = true;
    at++;
  }
  return { end: at, fuzzy };
}

export const overlaps = (a: Span, b: Span): boolean => a.start < b.end && b.start < a.end;
