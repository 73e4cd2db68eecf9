/** One stream per patient holds all of the patient's coverages, so primary/secondary order is checked in one place. */
export const coverageStreamId = (patientId: string): string => `coverage-${patientId}`;
