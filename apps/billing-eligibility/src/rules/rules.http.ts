import { Body, Controller, Get, Headers, Inject, Post } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import { DEFAULT_HORIZON_DAYS, DomainError } from '@carebridge/shared-kernel';
import { commandMetadata, requireIdempotencyKey } from '../patient.access';
import { EVENT_STORE, RULE_CATALOG } from '../billing-eligibility.tokens';
import { type LiveRuleCatalog, catalogHorizon } from './live-rule-catalog.adapter';
import { RuleSetFileError, validateRuleSet } from './rule-set.loader';
import { RULE_SETS_STREAM } from './rule-set-activation.events';
import { ruleSetActivationDecider } from './rule-set-activation.decider';
import { STATE_RULE_SET_IDS } from './state-rule-sets.loader';

export const activateRuleSetBody = z.strictObject({
  /** A rule-set document as in src/rules/data/<id>.<yyyy-mm>.json. */
  ruleSet: z.record(z.string(), z.unknown()),
  signOff: z.strictObject({
    /** Who reviewed the rules against their sources (the caller is recorded as the actor). */
    reviewedBy: z.string().min(3).max(200),
    statement: z.string().min(10).max(2000),
  }),
});

export class RuleSetInvalidError extends DomainError {
  readonly code = 'RULES.INVALID';
  override readonly kind = 'rule' as const;
}

/** Rule sets as data: activate a signed-off version without a release; see what ends soon with no successor. */
@Controller('v1/rules')
export class RulesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RULE_CATALOG) private readonly catalog: LiveRuleCatalog,
  ) {}

  @Post('rule-sets')
  @Roles('ops')
  async activate(@Body() body: unknown, @Headers('idempotency-key') idempotencyKey: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    const key = requireIdempotencyKey(idempotencyKey);
    const input = parseBody(activateRuleSetBody, body);
    let set;
    try {
      set = validateRuleSet('ruleSet', JSON.stringify(input.ruleSet, null, 2), input.ruleSet);
    } catch (error) {
      if (error instanceof RuleSetFileError) throw new RuleSetInvalidError(`ruleSet (line ${error.line} of the document as indented JSON): ${error.problem}`);
      throw error;
    }
    if ((STATE_RULE_SET_IDS as readonly string[]).includes(set.ruleSetId)) {
      throw new RuleSetInvalidError(`ruleSet.ruleSetId: ${set.ruleSetId} is built from data/states/*.json; change the research files instead`);
    }
    const metadata = commandMetadata(actor, key, 'operations');
    const on = metadata.now.toISOString().slice(0, 10);
    const result = await handle(this.store, RULE_SETS_STREAM, ruleSetActivationDecider, {
      type: 'ActivateRuleSet',
      data: {
        ruleSetId: set.ruleSetId,
        version: set.version,
        publishedAt: set.publishedAt,
        document: input.ruleSet,
        signedOff: { by: `${input.signOff.reviewedBy} (activated by ${actor.role} ${actor.id})`, on, statement: input.signOff.statement },
        shipped: this.catalog.shipped.map((s) => ({ ruleSetId: s.ruleSetId, version: s.version, publishedAt: s.publishedAt })),
      },
      metadata,
    });
    await this.catalog.refresh(this.store);
    return { ruleSetId: set.ruleSetId, version: set.version, publishedAt: set.publishedAt, coversFrom: set.coversFrom, coversTo: set.coversTo, activated: result.newEvents.length > 0 };
  }

  @Get('rule-sets')
  @Roles('ops', 'provider')
  list() {
    return {
      ruleSets: this.catalog.ruleSets.map((s) => ({
        ruleSetId: s.ruleSetId,
        version: s.version,
        publishedAt: s.publishedAt,
        coversFrom: s.coversFrom,
        coversTo: s.coversTo,
        status: s.status ?? 'final',
        origin: s.file,
        ...(s.signedOff && { signedOff: s.signedOff }),
      })),
    };
  }

  /** Every rule set ending within 120 days with no successor, soonest first. */
  @Get('horizon')
  @Roles('ops', 'provider')
  horizon() {
    const today = new Date().toISOString().slice(0, 10);
    return { today, windowDays: DEFAULT_HORIZON_DAYS, endingWithoutSuccessor: catalogHorizon(this.catalog, today) };
  }
}
