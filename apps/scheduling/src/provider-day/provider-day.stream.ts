/**
 * `provider-day-<providerId>-<yyyy-MM-dd>`: the provider's local date (their time zone) of the
 * bookings it owns. Availability windows never cross local midnight, so every slot, and every
 * possible overlap, belongs to exactly one day stream.
 */
export const providerDayStreamId = (providerId: string, localDate: string): string =>
  `provider-day-${providerId}-${localDate}`;
