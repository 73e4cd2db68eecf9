export const patientMonitoringStreamId = (patientId: string): string => `patient-monitoring-${patientId}`;
