/** What one provider on duty has on hand, in minutes of work before they are free. */
export interface ProviderWorkload {
  /** Minutes since they admitted the patient they are seeing, or null when not in a visit. */
  readonly inVisitForMinutes: number | null;
  /** Checked-in patients assigned to them, not admitted yet. */
  readonly waiting: number;
}

/**
 * Estimated wait shown to a queued patient. Each provider on duty for their state is free after
 * the rest of the visit they are in (an average visit less the time it has run, at least a
 * minute if it has overrun) and an average visit per patient already assigned to them; the
 * patients ahead in the queue then go, in order, to whichever provider is free first, and this
 * patient to the first free after that. With nobody on duty we still estimate as if one free
 * provider were (and say so), rather than show no number.
 */
export function estimatedWaitMinutes(position: number, providers: readonly ProviderWorkload[], averageVisitMinutes: number): number {
  const freeAt = (providers.length === 0 ? [{ inVisitForMinutes: null, waiting: 0 }] : providers).map((p) => {
    const rest = p.inVisitForMinutes === null ? 0 : Math.max(1, averageVisitMinutes - p.inVisitForMinutes);
    return rest + p.waiting * averageVisitMinutes;
  });
  for (let ahead = Math.max(0, position - 1); ahead > 0; ahead--) {
    const first = freeAt.indexOf(Math.min(...freeAt));
    freeAt[first] = freeAt[first]! + averageVisitMinutes;
  }
  return Math.ceil(Math.min(...freeAt));
}
