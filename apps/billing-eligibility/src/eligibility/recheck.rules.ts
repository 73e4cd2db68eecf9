import type { EligibilityDetermined, EligibilityRequest } from './eligibility.events';

/**
 * The visits to check again after a coverage change: the latest request of each appointment
 * whose date of service is today or later and that was not cancelled. Past visits keep the
 * answer they had.
 */
export function recheckTargets(
  determinations: readonly EligibilityDetermined['data'][],
  today: string,
  withdrawn: readonly string[] = [],
): { appointmentId: string; request: EligibilityRequest }[] {
  const latest = new Map<string, EligibilityRequest>();
  for (const d of determinations) {
    if (d.request.appointmentId !== undefined && !withdrawn.includes(d.request.appointmentId)) latest.set(d.request.appointmentId, d.request);
  }
  return [...latest.entries()]
    .filter(([, request]) => request.dateOfService >= today)
    .map(([appointmentId, request]) => ({ appointmentId, request }));
}
