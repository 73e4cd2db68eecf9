export { type ClinicalSource, CLINICAL_REFERENCE_VERSION, SOURCES, type SourceKey } from './sources';
export { CLINICAL_RULES, type ClinicalRule, RULE_IDS, ruleById } from './rules';
export { SYMPTOM_CODES, RED_FLAG_SYMPTOM_CODES, TELEMEDICINE_SYMPTOM_CODES } from './symptom-codes';
export { CRISIS_GUIDANCE, EMERGENCY_GUIDANCE, type Guidance, IN_PERSON_GUIDANCE, type Language, REVIEW_GUIDANCE } from './guidance';
export type { Status as MatchStatus } from './context';
export { type Disposition, type IntakeText, type TriageInput, type TriageMatch, type TriageRecord, type TriageResult, intakeTexts, triageRecord, rulesForDiagnoses, triage } from './triage';
