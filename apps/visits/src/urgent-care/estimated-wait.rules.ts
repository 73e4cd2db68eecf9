/**
 * Estimated wait shown to a queued patient: the patients ahead of them shared among the
 * providers on duty for their state, each taking one patient per average visit. With nobody on
 * duty we still estimate as if one provider were (and say so), rather than show no number.
 */
export function estimatedWaitMinutes(position: number, providersOnDuty: number, averageVisitMinutes: number): number {
  const ahead = Math.max(0, position - 1);
  return Math.ceil(ahead / Math.max(1, providersOnDuty)) * averageVisitMinutes;
}
