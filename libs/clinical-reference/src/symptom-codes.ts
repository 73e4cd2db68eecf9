import { CLINICAL_RULES } from './rules';

/**
 * Symptom codes a patient may tick at intake and a provider may record in a visit: one per rule
 * (a red flag ticked is a red flag), and what the Carebridge guidance lists as fit for
 * telemedicine (cough, allergies, minor back pain, sprains and strains, skin conditions, mental
 * health, medication questions, test results, follow-up), so that most patients need not pick
 * "other". Codes are kept once published: bookings and visits store them.
 */
export const TELEMEDICINE_SYMPTOM_CODES = [
  'cough',
  'cold-or-flu',
  'sore-throat',
  'fever',
  'headache',
  'ear-pain',
  'allergies',
  'minor-back-pain',
  'sprain-or-strain',
  'skin-rash',
  'skin-lesion',
  'skin-condition',
  'urinary-symptoms',
  'mental-health',
  'anxiety',
  'low-mood',
  'sleep-problems',
  'medication-question',
  'test-results',
  'follow-up',
  'chronic-condition-follow-up',
  'other',
] as const;

/** Codes that name a rule (`suicidal-thoughts`, `severe-allergic-reaction`, `chest-pain`...). */
export const RED_FLAG_SYMPTOM_CODES: readonly string[] = [
  ...new Set(CLINICAL_RULES.flatMap((rule) => rule.codes.filter((set) => set.length === 1).map((set) => set[0]!))),
];

export const SYMPTOM_CODES: readonly string[] = [...RED_FLAG_SYMPTOM_CODES, ...TELEMEDICINE_SYMPTOM_CODES];
