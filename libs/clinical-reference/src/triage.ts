import type { Status } from './context';
import { type Hit, fieldsOf, findPatterns, phraseOf, readField } from './engine';
import { CRISIS_GUIDANCE, EMERGENCY_GUIDANCE, type Guidance, IN_PERSON_GUIDANCE, type Language, REVIEW_GUIDANCE } from './guidance';
import { CLINICAL_RULES, type ClinicalRule, type Pattern } from './rules';
import { CLINICAL_REFERENCE_VERSION } from './sources';
import { languageOf } from './text';

/**
 * Triage of everything the patient wrote and ticked, as an answer (never an error):
 * - `emergency`: a red flag (or a crisis statement) now: book nothing, tell them to call 911 (and 988);
 * - `in-person`: the rules send it to an examination room (abdominal pain);
 * - `needs-review`: words the rules cannot place with confidence; book, but a nurse or provider
 *   reviews first, and the patient is told how to get urgent help meanwhile;
 * - `virtual-ok`: nothing above.
 * Every matched phrase is returned with the rule it triggered and its status, negated and past
 * ones too, so a clinician sees why (and why not).
 */
export type Disposition = 'emergency' | 'in-person' | 'needs-review' | 'virtual-ok';

export interface IntakeText {
  /** Where the words were written: `reason`, `intake.description`, `intake.questions[0]`, `message`... */
  readonly field: string;
  readonly text: string;
}

export interface TriageInput {
  readonly symptoms?: readonly string[];
  readonly texts: readonly IntakeText[];
}

export interface TriageMatch {
  readonly rule: string;
  /** What this match did to the answer: `none` for a negated or past mention. */
  readonly effect: Exclude<Disposition, 'virtual-ok'> | 'none';
  readonly status: Status;
  readonly via: 'code' | 'text';
  readonly field: string;
  /** The patient's own words (or the symptom code). */
  readonly phrase: string;
}

export interface TriageResult {
  readonly disposition: Disposition;
  /** A suicidal or self-harm statement: the guidance names the 988 Lifeline. */
  readonly crisis: boolean;
  /** The rules that decided the disposition. */
  readonly rules: readonly string[];
  readonly matches: readonly TriageMatch[];
  readonly language: Language;
  /** What to tell the patient, in their language; null when nothing needs saying. */
  readonly guidance: string | null;
  readonly rulesVersion: string;
}

const ORDER: Record<Disposition, number> = { 'virtual-ok': 0, 'needs-review': 1, 'in-person': 2, emergency: 3 };

/** What a hit of a rule's pattern does: its full disposition, a review, or nothing. */
function effectOf(rule: ClinicalRule, hit: Hit, strength: 'pattern' | 'review', pattern: Pattern): TriageMatch['effect'] {
  if (hit.weakened && 'near' in pattern && pattern.quiet === true) return 'none';
  const full = strength === 'pattern' && !hit.weakened && !hit.uncertain ? rule.disposition : 'needs-review';
  // A doubt that its own sentence explains (a review pattern's `unless`) raises nothing.
  const weakReview = (rule.disposition === 'needs-review' || strength === 'review') && hit.weakened;
  switch (hit.status) {
    case 'affirmed':
      return weakReview ? 'none' : full;
    // "What if I get chest pain?": not now, but not nothing. A crisis thought is never hypothetical.
    case 'hypothetical':
      if (rule.crisis) return full;
      return weakReview ? 'none' : 'needs-review';
    // A denied or past suicidal thought is still reviewed by a clinician (our rule, not a cited one).
    case 'negated':
    case 'historical':
      return rule.crisis ? 'needs-review' : 'none';
    default: {
      const exhaustive: never = hit.status;
      return exhaustive;
    }
  }
}

function guidanceFor(disposition: Disposition, crisis: boolean, language: Language): string | null {
  const pick = (g: Guidance) => g[language];
  switch (disposition) {
    case 'emergency':
      return crisis ? pick(CRISIS_GUIDANCE) : pick(EMERGENCY_GUIDANCE);
    case 'in-person':
      return pick(IN_PERSON_GUIDANCE);
    case 'needs-review':
      return pick(REVIEW_GUIDANCE);
    case 'virtual-ok':
      return null;
    default: {
      const exhaustive: never = disposition;
      return exhaustive;
    }
  }
}

export function triage(input: TriageInput): TriageResult {
  const fields = input.texts.filter((t) => t.text.trim().length > 0).map((t) => readField(t.field, t.text));
  const symptoms = input.symptoms ?? [];
  const matches: TriageMatch[] = [];
  const seen = new Set<string>();
  const add = (m: TriageMatch) => {
    const key = `${m.rule}|${m.field}|${m.phrase}|${m.status}`;
    if (seen.has(key)) return;
    seen.add(key);
    matches.push(m);
  };
  const all: { rule: ClinicalRule; pattern: Pattern; strength: 'pattern' | 'review' }[] = CLINICAL_RULES.flatMap((rule) => [
    ...rule.patterns.map((pattern) => ({ rule, pattern, strength: 'pattern' as const })),
    ...(rule.review ?? []).map((pattern) => ({ rule, pattern, strength: 'review' as const })),
  ]);
  const found = findPatterns(
    fields,
    all.map((x) => x.pattern),
  );
  for (const rule of CLINICAL_RULES) {
    for (const set of rule.codes) {
      if (set.every((code) => symptoms.includes(code))) add({ rule: rule.id, effect: rule.disposition, status: 'affirmed', via: 'code', field: 'symptoms', phrase: set.join(' + ') });
    }
  }
  found.forEach(({ hits }, i) => {
    const { rule, strength, pattern } = all[i]!;
    for (const hit of hits) {
      const effect = effectOf(rule, hit, strength, pattern);
      // A doubt that was answered (pain beside a body site) is no finding worth showing.
      if (effect === 'none' && hit.status === 'affirmed') continue;
      add({ rule: rule.id, effect, status: hit.status, via: 'text', field: fieldsOf(hit), phrase: phraseOf(fields, hit) });
    }
  });
  const effective = matches.filter((m) => m.effect !== 'none');
  const disposition = effective.reduce<Disposition>((best, m) => (ORDER[m.effect as Disposition] > ORDER[best] ? (m.effect as Disposition) : best), 'virtual-ok');
  const deciding = effective.filter((m) => m.effect === disposition);
  const crisis = disposition === 'emergency' && deciding.some((m) => CLINICAL_RULES.find((r) => r.id === m.rule)?.crisis === true);
  const language = languageOf(fields.flatMap((f) => f.tokens));
  // Strongest first, so the first match says why.
  matches.sort((a, b) => ORDER[(b.effect === 'none' ? 'virtual-ok' : b.effect) as Disposition] - ORDER[(a.effect === 'none' ? 'virtual-ok' : a.effect) as Disposition]);
  return {
    disposition,
    crisis,
    rules: [...new Set(deciding.map((m) => m.rule))],
    matches,
    language,
    guidance: guidanceFor(disposition, crisis, language),
    rulesVersion: CLINICAL_REFERENCE_VERSION,
  };
}

/**
 * What a service keeps of a triage in its own events (a booking, a symptom review, a message): the
 * disposition, the deciding rules and every match, with the rules' version. The patient's words in
 * `matches` are PHI: they stay in the service's event store, never on Kafka.
 */
export interface TriageRecord {
  readonly disposition: Disposition;
  readonly rules: readonly string[];
  readonly matches: readonly TriageMatch[];
  readonly rulesVersion: string;
}

export const triageRecord = (result: TriageResult): TriageRecord => ({
  disposition: result.disposition,
  rules: result.rules,
  matches: result.matches,
  rulesVersion: result.rulesVersion,
});

/** The free-text fields of a booking's intake, named as the booking body names them. */
export function intakeTexts(reason: string, intake: { readonly description?: string; readonly questions?: readonly string[] }): IntakeText[] {
  return [
    { field: 'reason', text: reason },
    ...(intake.description !== undefined ? [{ field: 'intake.description', text: intake.description }] : []),
    ...(intake.questions ?? []).map((text, i) => ({ field: `intake.questions[${i}]`, text })),
  ];
}

/** Rules that a recorded diagnosis calls for (ICD-10-CM prefixes), e.g. R10 abdominal pain -> in person. */
export function rulesForDiagnoses(codes: readonly string[]): { rule: string; disposition: ClinicalRule['disposition']; code: string }[] {
  return CLINICAL_RULES.flatMap((rule) =>
    codes.filter((code) => (rule.icd10Prefixes ?? []).some((prefix) => code.startsWith(prefix))).map((code) => ({ rule: rule.id, disposition: rule.disposition, code })),
  );
}
