/**
 * Rule horizons: which dated rule sets end soon with nothing to take over. Pure and shared, so
 * every service that keeps regulatory rule sets (billing-eligibility's coverage rules,
 * prescriptions' DEA telemedicine rules) reports the same way.
 */
export interface DatedRuleSet {
  readonly ruleSetId: string;
  readonly version: string;
  readonly effectiveFrom: string;
  /** Inclusive; null when open-ended. */
  readonly effectiveTo: string | null;
  /** A proposed rule is never a successor: it may never be final. */
  readonly proposed?: boolean;
  /** The law that applies when nothing else does (the Ryan Haight baseline): not a successor either. */
  readonly fallback?: boolean;
  readonly title?: string;
  /** The id of the rule set this one takes over from (a new extension under a new id). */
  readonly continues?: string;
}

export interface HorizonItem {
  readonly ruleSetId: string;
  readonly version: string;
  readonly title?: string;
  readonly endsOn: string;
  readonly daysLeft: number;
  /** What applies from the next day when no successor comes: a fallback set, else nothing. */
  readonly then: string;
}

export const DEFAULT_HORIZON_DAYS = 120;

const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

/**
 * Every set in force or ahead that ends within `days` after `today` (inclusive) and that no later
 * version of it (or set declaring it `continues` it; final, not a fallback, starting by the day
 * after) continues, soonest first. Sets on other topics are no successors.
 */
export function ruleHorizon(sets: readonly DatedRuleSet[], today: string, days: number = DEFAULT_HORIZON_DAYS): HorizonItem[] {
  const now = dayNumber(today);
  const items: HorizonItem[] = [];
  for (const set of sets) {
    if (set.proposed || set.fallback || set.effectiveTo === null) continue;
    const end = dayNumber(set.effectiveTo);
    if (end < now || end - now > days) continue;
    const successor = sets.some(
      (other) =>
        other !== set &&
        (other.ruleSetId === set.ruleSetId || other.continues === set.ruleSetId) &&
        !other.proposed &&
        !other.fallback &&
        dayNumber(other.effectiveFrom) <= end + 1 &&
        (other.effectiveTo === null || dayNumber(other.effectiveTo) > end),
    );
    if (successor) continue;
    const fallback = sets.find((other) => other.fallback && !other.proposed && dayNumber(other.effectiveFrom) <= end + 1 && (other.effectiveTo === null || dayNumber(other.effectiveTo) > end));
    items.push({
      ruleSetId: set.ruleSetId,
      version: set.version,
      ...(set.title !== undefined && { title: set.title }),
      endsOn: set.effectiveTo,
      daysLeft: end - now,
      then: fallback ? `${fallback.ruleSetId} (${fallback.title ?? 'fallback'})` : 'no rule set: answers for later dates are refused',
    });
  }
  return items.sort((a, b) => a.endsOn.localeCompare(b.endsOn) || a.ruleSetId.localeCompare(b.ruleSetId));
}

/** One line for a boot log or a readiness warning. */
export function horizonWarning(item: HorizonItem): string {
  return `rule set ${item.ruleSetId} ${item.version} ends ${item.endsOn} (${item.daysLeft} days) with no successor; then: ${item.then}`;
}
