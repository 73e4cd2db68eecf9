export const waitlistStreamId = (entryId: string): string => `waitlist-${entryId}`;
