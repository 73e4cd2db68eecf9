/** One hash-chained stream per service per UTC day: `access-prescriptions-2026-12-07`. */
export const accessStreamId = (service: string, at: Date): string => `access-${service}-${at.toISOString().slice(0, 10)}`;

export const ACCESS_STREAM_PREFIX = 'access-';
