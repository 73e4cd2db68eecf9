/**
 * Readings arrive by the thousand: one stream per ingest request (what one gateway or device
 * sent at once, up to 1,000 readings), appended in one statement. A patient's readings in time
 * order are the readings read model (rebuilt by replay); the per-patient streams of the
 * architecture page would cost one stream lock per reading (3,000 readings/s here instead of
 * more than 10,000).
 */
export const readingsStreamId = (batchId: string, part: number): string => `readings-${batchId}-${part}`;
export const isReadingsStream = (streamId: string): boolean => streamId.startsWith('readings-');
