import type { EventStore } from '@carebridge/event-store';
import { type DatedRuleSet, type HorizonItem, ruleHorizon } from '@carebridge/shared-kernel';
import { validateRuleSet } from './rule-set.loader';
import { RULE_SETS_STREAM, type RuleSetActivated } from './rule-set-activation.events';
import { type RuleCatalog, type RuleSet, ruleSetsKnownAt } from './rule-set.rules';

/**
 * The rule sets shipped as files plus those ops activated at run time (`RuleSetActivated` on the
 * `rule-sets` stream). `ruleSets` is read at each determination, so an activated set answers from
 * the next check on; every replica refreshes from the store (after its own activations at once).
 */
export class LiveRuleCatalog implements RuleCatalog {
  private activated: readonly RuleSet[] = [];
  private readonly rejected: string[] = [];

  constructor(
    readonly shipped: readonly RuleSet[],
    private readonly onRejected: (problem: string) => void = () => undefined,
  ) {}

  get ruleSets(): readonly RuleSet[] {
    return [...this.shipped, ...this.activated];
  }

  /** Re-reads the activations; a stored document that no longer validates is left out and reported. */
  async refresh(store: EventStore): Promise<void> {
    const events = await store.readStream(RULE_SETS_STREAM);
    const sets: RuleSet[] = [];
    for (const event of events) {
      if (event.type !== 'RuleSetActivated') continue;
      const data = event.data as RuleSetActivated['data'];
      const origin = `store:${RULE_SETS_STREAM}@${event.streamVersion}`;
      try {
        const set = validateRuleSet(origin, JSON.stringify(data.document, null, 2), data.document);
        sets.push({ ...set, file: origin, signedOff: data.signedOff });
      } catch (error) {
        const problem = `${origin}: ${(error as Error).message}`;
        if (!this.rejected.includes(problem)) {
          this.rejected.push(problem);
          this.onRejected(problem);
        }
      }
    }
    this.activated = sets;
  }
}

/** The rule sets of `catalog` that end within `days` of `today` with no successor (shared-kernel ruleHorizon). */
export function catalogHorizon(catalog: RuleCatalog, today: string, days?: number): HorizonItem[] {
  const known = ruleSetsKnownAt(catalog, today);
  // Versions already published for later dates count as successors too.
  const scheduled = catalog.ruleSets.filter((s) => s.publishedAt > today && s.status !== 'proposed');
  const dated = (s: RuleSet): DatedRuleSet => ({
    ruleSetId: s.ruleSetId,
    version: s.version,
    effectiveFrom: s.coversFrom,
    effectiveTo: s.coversTo,
    ...(s.status === 'proposed' && { proposed: true }),
    ...(s.role === 'fallback' && { fallback: true }),
  });
  return ruleHorizon([...known, ...scheduled].map(dated), today, days);
}

/** Loads the activated rule sets before the service answers, then every `everyMs` (other replicas' activations). */
export class RuleCatalogRefresher {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly catalog: LiveRuleCatalog,
    private readonly store: EventStore,
    private readonly everyMs = 30_000,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.catalog.refresh(this.store);
    this.timer = setInterval(() => void this.catalog.refresh(this.store).catch(this.onError), this.everyMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
