export const patientProfileStreamId = (patientId: string): string => `patient-profile-${patientId}`;
