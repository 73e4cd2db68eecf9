/** One stream per patient and rule: at most one open alert per rule per patient. */
export const alertStreamId = (patientId: string, ruleId: string): string => `alert-${patientId}-${ruleId}`;
