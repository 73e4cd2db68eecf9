/**
 * What the patient wrote, as tokens the rules can read: lower case, accents removed (so "presión"
 * and "presion" are one word), contractions spelled out ("can't" -> "can not", so NegEx sees the
 * negation), common misspellings mapped, and sentence ends and commas kept as tokens (negation and
 * history scopes stop there). Every token keeps its place in the original text, so a match can be
 * shown to a clinician in the patient's own words.
 */

export interface Token {
  /** Normalised form: `<s>` for a sentence end, `,` for a comma. */
  readonly norm: string;
  /** Where it stands in the original text (a spelled-out contraction shares its word's span). */
  readonly start: number;
  readonly end: number;
}

export const SENTENCE_END = '<s>';
export const COMMA = ',';

const CONTRACTIONS: Readonly<Record<string, readonly string[]>> = {
  cant: ['can', 'not'],
  cannot: ['can', 'not'],
  wont: ['will', 'not'],
  dont: ['do', 'not'],
  doesnt: ['does', 'not'],
  didnt: ['did', 'not'],
  isnt: ['is', 'not'],
  arent: ['are', 'not'],
  wasnt: ['was', 'not'],
  werent: ['were', 'not'],
  havent: ['have', 'not'],
  hasnt: ['has', 'not'],
  hadnt: ['had', 'not'],
  couldnt: ['could', 'not'],
  shouldnt: ['should', 'not'],
  wouldnt: ['would', 'not'],
  aint: ['is', 'not'],
  im: ['i', 'am'],
  ive: ['i', 'have'],
  theres: ['there', 'is'],
  cnt: ['can', 'not'],
  dnt: ['do', 'not'],
  wanna: ['want', 'to'],
  gonna: ['going', 'to'],
  kms: ['kill', 'myself'],
  kys: ['kill', 'yourself'],
  w: ['with'],
  bc: ['because'],
  idk: ['i', 'do', 'not', 'know'],
  q: ['que'],
  xq: ['porque'],
  pq: ['porque'],
  tmb: ['tambien'],
};

/**
 * Misspellings too short or too far for the fuzzy match of lexicon.ts (which needs six letters and
 * one edit). From judgement of how people type these words; extend with what real intake shows.
 */
const MISSPELLINGS: Readonly<Record<string, string>> = {
  cheast: 'chest',
  chset: 'chest',
  chets: 'chest',
  brest: 'breast',
  breth: 'breath',
  braeth: 'breath',
  breahte: 'breathe',
  brethe: 'breathe',
  sucidal: 'suicidal',
  suicidial: 'suicidal',
  sucide: 'suicide',
  suiside: 'suicide',
  stomache: 'stomach',
  stomac: 'stomach',
  stomch: 'stomach',
  tummie: 'tummy',
  abdomin: 'abdomen',
  feaver: 'fever',
  fevor: 'fever',
  rach: 'rash',
  bleding: 'bleeding',
  bleedin: 'bleeding',
  numbe: 'numb',
  nomb: 'numb',
  sezure: 'seizure',
  seisure: 'seizure',
  siezure: 'seizure',
  seazure: 'seizure',
  speach: 'speech',
  slured: 'slurred',
  unconcious: 'unconscious',
  unconsious: 'unconscious',
  diziness: 'dizziness',
  dizzyness: 'dizziness',
  alergic: 'allergic',
  allergick: 'allergic',
  throught: 'throat',
  thraot: 'throat',
  brokeen: 'broken',
  disloacted: 'dislocated',
  burnd: 'burned',
  heartattack: 'heart attack',
  droping: 'drooping',
  drooing: 'drooping',
  convultions: 'convulsions',
  convultion: 'convulsion',
  hed: 'head',
  stopp: 'stop',
  dubble: 'double',
  doubel: 'double',
  brething: 'breathing',
  breating: 'breathing',
  brethin: 'breathing',
  breathin: 'breathing',
  chst: 'chest',
  hart: 'heart',
  harts: 'hurts',
  hurst: 'hurts',
  hurtin: 'hurting',
  bleedn: 'bleeding',
  blod: 'blood',
  bloood: 'blood',
  numbb: 'numb',
  nummb: 'numb',
  feva: 'fever',
  fevr: 'fever',
  rashe: 'rash',
  rashs: 'rashes',
  brocken: 'broken',
  borken: 'broken',
  brokn: 'broken',
  seazures: 'seizures',
  ceasure: 'seizure',
  stroek: 'stroke',
  strok: 'stroke',
  dizy: 'dizzy',
  dizzie: 'dizzy',
  swolen: 'swollen',
  sollen: 'swollen',
  swolled: 'swollen',
  tounge: 'tongue',
  tung: 'tongue',
  tonge: 'tongue',
  stomack: 'stomach',
  stumach: 'stomach',
  belley: 'belly',
  vomitting: 'vomiting',
  vommiting: 'vomiting',
  vomting: 'vomiting',
  throwin: 'throwing',
  pukin: 'puking',
  pukeing: 'puking',
  concusion: 'concussion',
  concution: 'concussion',
  consussion: 'concussion',
  unconsius: 'unconscious',
  unresponsiv: 'unresponsive',
  sucicide: 'suicide',
  suacide: 'suicide',
  suicde: 'suicide',
  selfharm: 'self harm',
  dieing: 'dying',
  blured: 'blurred',
  visoin: 'vision',
  vison: 'vision',
  allergik: 'allergic',
  alergy: 'allergy',
  alergies: 'allergies',
  anafilaxis: 'anaphylaxis',
  anaphylaxsis: 'anaphylaxis',
  pecko: 'pecho',
  peco: 'pecho',
  respirarr: 'respirar',
  estomgo: 'estomago',
  istomago: 'estomago',
  fievre: 'fiebre',
  fibre: 'fiebre',
  convulcion: 'convulsion',
  convulciones: 'convulsiones',
  combulsion: 'convulsion',
  quemadra: 'quemadura',
};

// Words, numbers (39.5, 10/10 as two numbers), sentence ends, commas.
const PIECE = /(\d+(?:[.,]\d+)?)|([\p{L}][\p{L}\p{M}'’]*)|([.!?;:\n]+)|(,)/gu;

function fold(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s$/, '') // husband's -> husband
    .replace(/['’]/g, '') // can't -> cant
    .replace(/(\p{L})\1{2,}/gu, '$1$1'); // sooo -> soo, chesssst -> chesst (then one edit from chest)
}

/** A known misspelling, singular or plural ("siezures" -> "seizures"). */
function corrected(word: string): string {
  const exact = MISSPELLINGS[word];
  if (exact !== undefined) return exact;
  const singular = word.endsWith('s') ? MISSPELLINGS[word.slice(0, -1)] : undefined;
  return singular !== undefined ? `${singular}s` : word;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(PIECE)) {
    const start = match.index!;
    const end = start + match[0].length;
    if (match[1] !== undefined) tokens.push({ norm: match[1].replace(',', '.'), start, end });
    else if (match[3] !== undefined) tokens.push({ norm: SENTENCE_END, start, end });
    else if (match[4] !== undefined) tokens.push({ norm: COMMA, start, end });
    else {
      const folded = fold(match[2]!);
      const spelled = CONTRACTIONS[folded];
      if (spelled !== undefined) for (const norm of spelled) tokens.push({ norm, start, end });
      // A correction may be two words ("heartattack" -> "heart attack"): both keep the word's span.
      else for (const norm of corrected(folded).split(' ')) tokens.push({ norm, start, end });
    }
  }
  return tokens;
}

const SPANISH = new Set(['el', 'la', 'los', 'las', 'de', 'del', 'que', 'y', 'en', 'un', 'una', 'mi', 'me', 'se', 'tengo', 'duele', 'dolor', 'con', 'por', 'para', 'muy', 'desde', 'hace', 'ya', 'no', 'es', 'esta', 'tiene', 'le', 'lo', 'al', 'mucho', 'cuando', 'pero']);
const ENGLISH = new Set(['the', 'a', 'an', 'and', 'of', 'in', 'on', 'my', 'i', 'is', 'it', 'to', 'have', 'has', 'with', 'for', 'since', 'am', 'was', 'not', 'no', 'after', 'but', 'when', 'this', 'that', 'pain', 'hurts', 'feel', 'feels']);

/** The language most of the words belong to; English when it is a tie (guidance is in both). */
export function languageOf(tokens: readonly Token[]): 'en' | 'es' {
  let es = 0;
  let en = 0;
  for (const t of tokens) {
    if (SPANISH.has(t.norm)) es++;
    if (ENGLISH.has(t.norm)) en++;
  }
  return es > en ? 'es' : 'en';
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/**
 * Whether typing `b` for `a` is a likely slip: a neighbouring key on a QWERTY keyboard, or one vowel
 * for another (the way "siezure" and "brest" are spelled). "think" is not "thick", "month" is not
 * "mouth", "doing" is not "dying": their letters are far apart on the keyboard.
 */
export function likelySubstitution(a: string, b: string): boolean {
  if (VOWELS.has(a) && VOWELS.has(b)) return true;
  const at = (c: string) => {
    const row = KEYBOARD_ROWS.findIndex((r) => r.includes(c));
    return row === -1 ? undefined : { row, col: KEYBOARD_ROWS[row]!.indexOf(c) + row * 0.5 };
  };
  const pa = at(a);
  const pb = at(b);
  if (pa === undefined || pb === undefined) return false;
  return Math.abs(pa.row - pb.row) <= 1 && Math.abs(pa.col - pb.col) <= 1;
}

/**
 * Restricted Damerau-Levenshtein distance, stopping early past `limit` (we only ever ask for 1 or 2).
 * With `typos`, a substitution counts only when it is a likely slip (`likelySubstitution`); any
 * other costs two, so at a limit of 1 only insertions, deletions, swaps and near-key slips remain.
 */
export function editDistance(a: string, b: string, limit = 2, typos = false): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : !typos || likelySubstitution(a[i - 1]!, b[j - 1]!) ? 1 : 2;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
  }
  return rows[a.length]![b.length]!;
}
