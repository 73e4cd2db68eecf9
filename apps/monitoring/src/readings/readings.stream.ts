/** Readings of one patient measured on one UTC day: short streams, placed by measurement time. */
export const readingsStreamId = (patientId: string, day: string): string => `readings-${patientId}-${day}`;
export const isReadingsStream = (streamId: string): boolean => streamId.startsWith('readings-');
