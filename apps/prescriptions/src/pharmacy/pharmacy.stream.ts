/** Keyed by NCPDP Provider ID, so one NCPDP id can be listed only once (the append expects no stream). */
export const pharmacyStreamId = (ncpdpId: string): string => `pharmacy-${ncpdpId}`;
