export const rpmStreamId = (patientId: string): string => `rpm-${patientId}`;
