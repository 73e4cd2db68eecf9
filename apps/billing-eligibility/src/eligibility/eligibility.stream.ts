/** A patient's eligibility answers, in the order they were given: the audit of "what we told whom, when". */
export const eligibilityStreamId = (patientId: string): string => `eligibility-${patientId}`;
