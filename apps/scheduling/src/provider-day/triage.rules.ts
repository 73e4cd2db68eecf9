/**
 * Intake triage as data. Source: Carebridge issue 3 ("Triage at intake, rules from the seeds"),
 * the list of presentations the platform does not treat by telehealth. Clinical review of this
 * table is owned by the medical director; change the table, not the code.
 */

export type TriageOutcome = 'emergency' | 'in-person-only' | 'telehealth-ok';

export interface TriageRule {
  readonly symptom: string;
  readonly outcome: Exclude<TriageOutcome, 'telehealth-ok'>;
  readonly label: string;
}

export const TRIAGE_RULES_SOURCE = 'carebridge-issue-3/triage-v1';

export const EMERGENCY_GUIDANCE =
  'Your symptoms need emergency care. Call 911 now or go to the nearest emergency room. Do not wait for a virtual visit.';

export const IN_PERSON_GUIDANCE =
  'Abdominal pain needs a physical examination: book an in-person appointment instead of a virtual one.';

export const TRIAGE_RULES: readonly TriageRule[] = [
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

/** Symptom codes a patient may report at intake: the table's plus ordinary ones. */
export const SYMPTOM_CODES: readonly string[] = [
  ...TRIAGE_RULES.map((rule) => rule.symptom),
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

export interface TriageResult {
  readonly outcome: TriageOutcome;
  /** The symptoms that decided the outcome. */
  readonly matched: readonly string[];
}

/** Emergency wins over in-person-only, which wins over telehealth. */
export function triage(symptoms: readonly string[]): TriageResult {
  const matched = (outcome: TriageRule['outcome']) =>
    TRIAGE_RULES.filter((rule) => rule.outcome === outcome && symptoms.includes(rule.symptom)).map((rule) => rule.symptom);
  const emergency = matched('emergency');
  if (emergency.length > 0) return { outcome: 'emergency', matched: emergency };
  const inPerson = matched('in-person-only');
  if (inPerson.length > 0) return { outcome: 'in-person-only', matched: inPerson };
  return { outcome: 'telehealth-ok', matched: [] };
}
