import { COMMA, SENTENCE_END, type Token } from './text';
import { type Span, type Term, compileTerm, findTerm, overlaps } from './terms';

/**
 * Whether a finding is the patient's now, done the way NegEx does it (Chapman et al. 2001, J Biomed
 * Inform 34:301-310: trigger phrases before and after a finding within a window, pseudo-triggers
 * that look like negation but are not, termination terms that end a trigger's scope), with the
 * historical and hypothetical triggers of its successor ConText (Harkema et al. 2009). The word
 * lists are ours, English and Spanish, written from those papers' categories and judgement.
 *
 * One addition: a trigger inside a matched finding belongs to the finding ("not able to breathe",
 * "won't stop bleeding", "doesn't fade when pressed", "no puedo respirar") and negates nothing.
 */
export type Status = 'affirmed' | 'negated' | 'historical' | 'hypothetical';

type TriggerKind = 'pre-negation' | 'post-negation' | 'pseudo' | 'pre-history' | 'post-history' | 'pre-hypothetical' | 'post-hypothetical' | 'termination' | 'history-termination';

const TRIGGERS: Readonly<Record<TriggerKind, readonly string[]>> = {
  'pre-negation': [
    'no', 'not', 'never', 'never had', 'never have', 'without', 'denies', 'denied', 'deny', 'negative for', 'free of', 'absence of',
    'no sign of', 'no signs of', 'no history of', 'ruled out', 'nor', 'none', 'no longer', 'no more', 'stopped', 'has stopped', 'have stopped',
    'ni', 'sin', 'nunca', 'jamas', 'niega', 'niego', 'tampoco', 'ningun', 'ninguna', 'ninguno', 'nada de', 'no hay',
  ],
  'post-negation': [
    'is gone', 'are gone', 'gone', 'went away', 'has gone away', 'resolved', 'stopped', 'is fine', 'are fine', 'feels fine', 'fine',
    'is normal', 'was normal', 'normal', 'cleared up', 'ruled out', 'was negative', 'came back negative',
    'se fue', 'se quito', 'desaparecio', 'ya paso', 'se me paso', 'esta bien', 'estan bien',
    'went down', 'is fading', 'fading', 'faded', 'healed', 'healing', 'has healed', 'cleared', 'ya bajo', 'bajo', 'se curo',
  ],
  // They read like negation and are not: their words negate nothing.
  pseudo: [
    'not only', 'not just', 'no increase', 'no change', 'not necessarily', 'not sure', 'not certain', 'no idea', 'not feeling well',
    'not feel well', 'not well', 'not good', 'not great', 'not right', 'not myself', 'not go away', 'not going away', 'not gone',
    'not fade', 'not fading', 'not faded', 'not healing', 'not healed', 'not stop', 'not stopping', 'not stopped', 'not better', 'not getting better', 'not improving', 'not improve',
    'not help', 'not helping', 'not helped', 'not working', 'no relief', 'no better', 'no improvement', 'can not', 'could not',
    'will not', 'would not', 'not able', 'not sleeping', 'no matter', 'without stopping', 'without pausing', 'without resting',
    'without having to stop', 'without a break', 'sin parar', 'sin detenerme', 'without a helmet', 'without helmet', 'sin casco', 'not quit', 'not stop bleeding',
    'no solo', 'no solamente', 'no se', 'no estoy seguro', 'no estoy segura', 'no me siento bien', 'no se quita', 'no se va',
    'no para', 'no deja', 'no mejora', 'no desaparece', 'no puedo', 'no puede', 'no se detiene', 'no me deja', 'no aguanto',
  ],
  'pre-history': [
    'history of', 'hx of', 'used to', 'years ago', 'last year', 'as a child', 'as a kid', 'when i was a kid', 'when i was a child',
    'when i was young', 'when i was little', 'when i was a teen', 'when i was #num', 'in childhood', 'back in', 'in the past',
    'died of', 'died from', 'passed away from', 'passed from', 'lost him to', 'lost her to', 'family history of', 'family history',
    'murio de', 'fallecio de', 'antecedentes de', 'historia de', 'de nino', 'de nina', 'cuando era nino', 'cuando era nina', 'cuando era chico', 'hace anos',
    'el ano pasado', 'en el pasado',
  ],
  'post-history': [
    'as a child', 'as a kid', 'as a teen', 'as a teenager', 'as a baby', 'in high school', 'in college', 'in childhood',
    'years ago', 'year ago', 'months ago', 'month ago', 'weeks ago', 'long ago', 'last year', 'last month', 'in the past',
    'fine since', 'ok since', 'okay since', 'no problems since', 'nothing since', 'since then', 'in #year', 'back in #year',
    'controlled', 'under control', 'well controlled', 'runs in my family', 'runs in the family', 'in my family',
    'de nino', 'de nina', 'de pequeno', 'de pequena', 'hace anos', 'hace #num anos', 'hace meses', 'el ano pasado',
    'desde entonces', 'en el pasado', 'en #year', 'controlado', 'controlada', 'controlados', 'controladas',
  ],
  'pre-hypothetical': [
    'if', 'in case', 'what if', 'what are the signs', 'what are the symptoms', 'how do i know if', 'how can i tell if', 'how to recognize',
    'learn about', 'cuales son los sintomas', 'cuales son las senales', 'como saber si', 'risk of', 'risk for', 'chance of', 'prevent', 'preventing', 'screening for', 'screen for',
    'en caso de', 'por si', 'riesgo de', 'prevenir', 'que hago si', 'que pasa si',
  ],
  // "my mother had a stroke, I want to know my risk factors": the finding is the reason for a question.
  'post-hypothetical': ['risk factors', 'my risk', 'my own risk', 'prevention', 'screening', 'factores de riesgo', 'mi riesgo', 'prevencion'],
  termination: [
    'but', 'however', 'although', 'though', 'except', 'yet', 'still', 'whereas', 'apart from', 'aside from', 'other than', 'now',
    'which', 'who', 'just', 'only',
    'pero', 'aunque', 'sino', 'excepto', 'salvo', 'solo', 'solamente', 'ahora', 'sin embargo',
  ],
  'history-termination': [
    'again', 'today', 'tonight', 'this morning', 'this afternoon', 'this evening', 'yesterday', 'since', 'started', 'hoy', 'anoche',
    'ayer', 'esta manana', 'otra vez', 'de nuevo', 'desde',
  ],
};

/** How far a trigger reaches, in words (NegEx used five; commas do not count). */
const WINDOW = { preNegation: 6, postNegation: 4, history: 8, hypothetical: 6 } as const;
const LIST_CONJUNCTIONS = new Set(['or', 'nor', 'ni', 'o']);
/**
 * A conjunction that opens a new clause ends any scope: "no fever and my chest is crushing" says
 * nothing against the chest. We read a new clause where the word after the conjunction starts one
 * (a subject, a possessive, a time word), so "no fever and rash" stays a list.
 */
const CLAUSE_CONJUNCTIONS = new Set(['and', 'then', 'so', 'because', 'cause', 'y', 'e', 'entonces', 'porque', 'pues', 'luego']);
const CLAUSE_STARTS = new Set([
  'i', 'my', 'he', 'she', 'his', 'her', 'it', 'its', 'they', 'their', 'we', 'our', 'you', 'your', 'now', 'this', 'that', 'there', 'today',
  'tonight', 'suddenly', 'then', 'also', 'yo', 'mi', 'mis', 'me', 'se', 'le', 'su', 'sus', 'ahora', 'el', 'ella', 'ya', 'tengo', 'tiene', 'hoy',
  'luego', 'despues', 'tambien', 'de',
  // a clause with its subject left out: "no fever and is vomiting", "no rash but keeps crying"
  'is', 'was', 'has', 'had', 'keeps', 'kept', 'seems', 'looks', 'feels', 'felt', 'started', 'got', 'gets', 'can', 'could', 'will', 'now',
  'esta', 'estaba', 'tiene', 'tenia', 'sigue', 'empezo', 'parece',
]);

const COMPILED = (Object.entries(TRIGGERS) as [TriggerKind, readonly string[]][]).flatMap(([kind, phrases]) =>
  phrases.map((phrase) => ({ kind, term: compileTerm(phrase) as Term, words: phrase.split(' ').length })),
);

interface Trigger extends Span {
  readonly kind: TriggerKind;
}

/**
 * The triggers of a text, longest first and never overlapping one another ("fine since" is a
 * history trigger, not "fine"), leaving out those inside a finding's own words.
 */
export function findTriggers(tokens: readonly Token[], findingSpans: readonly Span[]): Trigger[] {
  const all = COMPILED.flatMap(({ kind, term, words }) => findTerm(tokens, term).map((span) => ({ ...span, kind, words })));
  all.sort((a, b) => b.end - b.start - (a.end - a.start) || b.words - a.words || a.start - b.start);
  const kept: (Trigger & { words: number })[] = [];
  for (const trigger of all) {
    // A phrase of two kinds ("years ago" before or after a finding) is both; otherwise the longest wins.
    if (kept.some((k) => overlaps(k, trigger) && !(k.start === trigger.start && k.end === trigger.end))) continue;
    kept.push(trigger);
  }
  return kept.filter((t) => t.kind !== 'pseudo' && !findingSpans.some((f) => overlaps(f, t))).sort((a, b) => a.start - b.start);
}

function stops(kind: 'negation' | 'history' | 'hypothetical', trigger: Trigger): boolean {
  if (trigger.kind === 'termination') return true;
  return kind === 'history' && trigger.kind === 'history-termination';
}

/** Walks from `from` towards `to` (exclusive both) and says whether the scope reaches. */
function reaches(tokens: readonly Token[], triggers: readonly Trigger[], from: number, to: number, window: number, kind: 'negation' | 'history' | 'hypothetical'): boolean {
  const step = to > from ? 1 : -1;
  let words = 0;
  for (let i = from + step; i !== to; i += step) {
    const norm = tokens[i]!.norm;
    if (norm === SENTENCE_END) return false;
    if (norm === COMMA) {
      // A condition ("if it's anxiety,") ends at its comma; history and a question asked after cross it.
      if (kind === 'hypothetical' && step > 0) return false;
      if (kind !== 'negation') continue;
      // "no fever, rash or chest pain" is one negated list; "no fever, chest pain since noon" is not.
      const ahead = tokens.slice(i + 1, i + 1 + window);
      const cut = ahead.findIndex((t) => t.norm === SENTENCE_END);
      if (!(cut === -1 ? ahead : ahead.slice(0, cut)).some((t) => LIST_CONJUNCTIONS.has(t.norm))) return false;
      continue;
    }
    if (triggers.some((t) => t.start <= i && i < t.end && stops(kind, t))) return false;
    // The conjunction and the word after it, in reading order, whichever way we walk.
    const [first, second] = step > 0 ? [norm, tokens[i + 1]?.norm] : [tokens[i - 1]?.norm, norm];
    if (first !== undefined && second !== undefined && CLAUSE_CONJUNCTIONS.has(first) && CLAUSE_STARTS.has(second)) return false;
    words++;
    if (words > window) return false;
  }
  return true;
}

/** The status of one finding's words (a span of tokens) given the text's triggers. */
export function statusOf(tokens: readonly Token[], triggers: readonly Trigger[], span: Span): Status {
  const before = (kind: TriggerKind) => triggers.filter((t) => t.kind === kind && t.end <= span.start);
  const after = (kind: TriggerKind) => triggers.filter((t) => t.kind === kind && t.start >= span.end);
  const negated =
    before('pre-negation').some((t) => reaches(tokens, triggers, t.end - 1, span.start, WINDOW.preNegation, 'negation')) ||
    after('post-negation').some((t) => reaches(tokens, triggers, t.start, span.end - 1, WINDOW.postNegation, 'negation'));
  if (negated) return 'negated';
  const historical =
    before('pre-history').some((t) => reaches(tokens, triggers, t.end - 1, span.start, WINDOW.history, 'history')) ||
    after('post-history').some((t) => reaches(tokens, triggers, t.start, span.end - 1, WINDOW.history, 'history'));
  if (historical) return 'historical';
  const hypothetical =
    before('pre-hypothetical').some((t) => reaches(tokens, triggers, t.end - 1, span.start, WINDOW.hypothetical, 'hypothetical')) ||
    after('post-hypothetical').some((t) => reaches(tokens, triggers, t.start, span.end - 1, WINDOW.history, 'hypothetical'));
  return hypothetical ? 'hypothetical' : 'affirmed';
}
