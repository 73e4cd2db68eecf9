export const urgentCareQueueStreamId = (state: string): string => `urgent-care-queue-${state}`;
