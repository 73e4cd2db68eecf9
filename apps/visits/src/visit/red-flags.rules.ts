/**
 * Red flags during a visit, as data. Copied from scheduling's intake triage table
 * (apps/scheduling/src/provider-day/triage.rules.ts, source "carebridge-issue-3/triage-v1": the
 * presentations the platform does not treat by telehealth), so symptoms reviewed during a visit
 * are held to the same table as symptoms given at booking. Clinical review is the medical
 * director's; change the table, not the code, and bump the source when it changes.
 */

export type RedFlagOutcome = 'emergency' | 'in-person-only';

export interface RedFlagRule {
  readonly symptom: string;
  readonly outcome: RedFlagOutcome;
  readonly label: string;
}

export const RED_FLAG_RULES_SOURCE = 'carebridge-issue-3/triage-v1';

export const EMERGENCY_INSTRUCTION =
  'Your symptoms need emergency care. Call 911 now or go to the nearest emergency room. Do not wait: this video visit has ended so you can get help.';

export const RED_FLAG_RULES: readonly RedFlagRule[] = [
  { symptom: 'chest-pain', outcome: 'emergency', label: 'Chest pain' },
  { symptom: 'difficulty-breathing', outcome: 'emergency', label: 'Difficulty breathing' },
  { symptom: 'one-sided-weakness-or-numbness', outcome: 'emergency', label: 'Weakness or numbness on one side' },
  { symptom: 'slurred-speech', outcome: 'emergency', label: 'Slurred speech' },
  { symptom: 'seizure', outcome: 'emergency', label: 'Seizures' },
  { symptom: 'concussion', outcome: 'emergency', label: 'Concussion' },
  { symptom: 'fever-with-rash', outcome: 'emergency', label: 'Fever with a rash' },
  { symptom: 'severe-bleeding', outcome: 'emergency', label: 'Severe bleeding' },
  { symptom: 'serious-burn', outcome: 'emergency', label: 'Serious burns' },
  { symptom: 'broken-bone-or-dislocation', outcome: 'emergency', label: 'Broken bones or dislocated joints' },
  { symptom: 'abdominal-pain', outcome: 'in-person-only', label: 'Abdominal pain' },
];

/**
 * Diagnoses that need a physical examination whatever the symptoms said: ICD-10-CM R10
 * "Abdominal and pelvic pain" (https://www.icd10data.com/ICD10CM/Codes/R00-R99/R10-R19/R10-).
 */
export const IN_PERSON_DIAGNOSIS_PREFIXES: readonly string[] = ['R10'];

export function emergencyRedFlags(symptoms: readonly string[]): string[] {
  return RED_FLAG_RULES.filter((r) => r.outcome === 'emergency' && symptoms.includes(r.symptom)).map((r) => r.symptom);
}

/** Why the visit must end with an in-person follow-up (empty when it need not). */
export function inPersonExamReasons(symptoms: readonly string[], diagnosisCodes: readonly string[]): string[] {
  const bySymptom = RED_FLAG_RULES.filter((r) => r.outcome === 'in-person-only' && symptoms.includes(r.symptom)).map((r) => r.symptom);
  const byDiagnosis = diagnosisCodes.filter((c) => IN_PERSON_DIAGNOSIS_PREFIXES.some((prefix) => c.startsWith(prefix)));
  return [...bySymptom, ...byDiagnosis];
}

/** Symptom codes a provider may record: the table's and ordinary ones. */
export const SYMPTOM_CODES: readonly string[] = [
  ...RED_FLAG_RULES.map((rule) => rule.symptom),
  'cough',
  'sore-throat',
  'fever',
  'headache',
  'skin-rash',
  'skin-lesion',
  'ear-pain',
  'urinary-symptoms',
  'anxiety',
  'low-mood',
  'sleep-problems',
  'medication-question',
  'chronic-condition-follow-up',
  'other',
];
