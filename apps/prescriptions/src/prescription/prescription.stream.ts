export const prescriptionStreamId = (prescriptionId: string): string => `prescription-${prescriptionId}`;
