import { AccessControlModule } from '@carebridge/access-audit';
import { type DynamicModule, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost, type ServiceMessagingOptions, serviceMessaging } from '@carebridge/messaging';
import { AuthModule, HealthModule, type JobsConnection, type JwtAuthOptions, type Logger, type ReadinessCheck } from '@carebridge/platform';
import { horizonWarning } from '@carebridge/shared-kernel';
import { BILLING_ACCESS_POLICY, billingRelationships } from './billing-eligibility.access-policy';
import { SERVICE_NAME } from './config';
import { CoverageController } from './coverage/coverage.http';
import { CoverageChangeReactor } from './eligibility/coverage-change.reactor';
import { EligibilityCheckController } from './eligibility/eligibility-check.http';
import { FhirController } from './fhir/fhir.http';
import { billingEligibilityPublisher } from './integration/billing-eligibility.publisher';
import { InboundEventsConsumer } from './integration/inbound.consumer';
import { RecheckBeforeVisitJobs } from './jobs/recheck-before-visit.job';
import { OpenApiController } from './openapi/openapi.http';
import { PAYER_CHECK, type PayerCheckOptions } from './payer/payer-check.handler';
import { LiveRuleCatalog, RuleCatalogRefresher, catalogHorizon } from './rules/live-rule-catalog.adapter';
import type { RuleCatalog } from './rules/rule-set.rules';
import { RulesController } from './rules/rules.http';
import { AFTER_APPEND, type AfterAppend, EVENT_STORE, RECHECK_BEFORE_VISIT_MS, RELAY_NUDGE, RULE_CATALOG } from './billing-eligibility.tokens';

export interface BillingEligibilityOptions {
  readonly pool: Pool;
  readonly schema: string;
  readonly auth: JwtAuthOptions;
  readonly logger: Logger;
  readonly checks: readonly ReadinessCheck[];
  /** The shipped rule sets (RULES_DIR, validated by the loader); sets ops activate at run time join them (rules.http.ts). */
  readonly shippedRules: RuleCatalog;
  /** Asks the payer (X12 270/271) during checks and the 24 h re-check; null: rules alone. */
  readonly payer: PayerCheckOptions | null;
  /** Re-checks each appointment 24 h before the visit (BullMQ on Redis or PostgreSQL); absent: no such job. */
  readonly jobs?: JobsConnection;
  /**
   * The relay and the consumer group of scheduling's and monitoring's events; omitted, neither runs.
   * `topics` is the transport's own (a contract's topic -> the one read instead).
   */
  readonly messaging?: ServiceMessagingOptions;
}

export const httpControllers = [CoverageController, EligibilityCheckController, FhirController, OpenApiController, RulesController];

/** @IntegrationEventHandler controllers, run by the integration events transport (connectIntegrationEvents). */
const integrationConsumers = [InboundEventsConsumer];

const DAY_MS = 24 * 60 * 60 * 1000;

/** The rule catalog ops extend at run time, with the boot's log lines on what it holds and when sets end. */
function liveCatalog(shipped: RuleCatalog, logger: Logger): { catalog: LiveRuleCatalog; horizonToday: () => string[] } {
  const catalog = new LiveRuleCatalog(shipped.ruleSets, (problem) => logger.error({ problem }, 'activated rule set no longer validates: left out'));
  logger.info({ ruleSets: catalog.ruleSets.map((s) => `${s.ruleSetId}@${s.version}`) }, 'rule sets loaded');
  // Rule horizon at boot: every set ending within 120 days with nothing to take over.
  const horizonToday = () => catalogHorizon(catalog, new Date().toISOString().slice(0, 10)).map(horizonWarning);
  const atBoot = horizonToday();
  if (atBoot.length > 0) logger.warn({ horizon: atBoot }, 'rule sets ending within 120 days with no successor');
  else logger.info('rule horizon: no rule set ends within 120 days without a successor');
  return { catalog, horizonToday };
}

/** The relay and the consumer group (libs/messaging serviceMessaging), their consumer and the relay's nudge. */
function messagingOf(options: BillingEligibilityOptions, store: PostgresEventStore): Pick<DynamicModule, 'imports' | 'controllers' | 'providers'> {
  const { messaging, pool, schema } = options;
  const wired = serviceMessaging({ name: SERVICE_NAME, store, pool, schema, publisher: billingEligibilityPublisher, consumers: integrationConsumers }, messaging);
  const nudge = messaging
    ? { provide: RELAY_NUDGE, inject: [MessagingHost], useFactory: (host: MessagingHost) => () => host.relay?.nudge() }
    : { provide: RELAY_NUDGE, useValue: () => undefined };
  return { ...wired, providers: [nudge] };
}

/** The composition root of billing-eligibility: every adapter built here and bound to its port's token. */
@Module({})
export class BillingEligibilityModule {
  static register(options: BillingEligibilityOptions): DynamicModule {
    const { pool, logger } = options;
    const store = new PostgresEventStore(pool, options.schema);
    const { catalog, horizonToday } = liveCatalog(options.shippedRules, logger);
    const payer = options.payer ?? undefined;
    const messaging = messagingOf(options, store);
    const ports = [
      { provide: EVENT_STORE, useValue: store },
      { provide: RULE_CATALOG, useValue: catalog },
      ...(payer ? [{ provide: PAYER_CHECK, useValue: payer }] : []),
      ...messaging.providers!,
    ];
    /** Re-checks on coverage changes (a projection) and 24 h before each visit (jobs). */
    const reactions = [
      {
        provide: CoverageChangeReactor,
        inject: [RELAY_NUDGE],
        useFactory: (relayNudge: AfterAppend) =>
          new CoverageChangeReactor({ store, pool, catalog, afterAppend: relayNudge, onError: (error) => logger.warn({ err: error }, 're-check on coverage change failed') }),
      },
      {
        provide: AFTER_APPEND,
        inject: [RELAY_NUDGE, CoverageChangeReactor],
        useFactory: (relayNudge: AfterAppend, reactor: CoverageChangeReactor) => () => {
          relayNudge();
          reactor.nudge();
        },
      },
      ...(options.jobs ? recheckBeforeVisit(options.jobs, store, pool, catalog, payer, logger) : []),
    ];
    return {
      module: BillingEligibilityModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: SERVICE_NAME, store, policy: BILLING_ACCESS_POLICY, relationships: billingRelationships(store) }),
        HealthModule.register({ checks: options.checks, warnings: horizonToday }),
        ...messaging.imports!,
      ],
      controllers: [...messaging.controllers!, ...httpControllers],
      providers: [...ports, { provide: RuleCatalogRefresher, useFactory: () => new RuleCatalogRefresher(catalog, store) }, ...reactions],
    };
  }
}

function recheckBeforeVisit(connection: JobsConnection, store: PostgresEventStore, pool: Pool, catalog: LiveRuleCatalog, payer: PayerCheckOptions | undefined, logger: Logger) {
  return [
    { provide: RECHECK_BEFORE_VISIT_MS, useValue: DAY_MS },
    {
      provide: RecheckBeforeVisitJobs,
      inject: [RELAY_NUDGE, RECHECK_BEFORE_VISIT_MS],
      useFactory: (relayNudge: AfterAppend, beforeMs: number) =>
        new RecheckBeforeVisitJobs({
          store,
          pool,
          connection,
          catalog,
          beforeMs,
          afterAppend: relayNudge,
          onError: (error: unknown) => logger.warn({ err: error }, 're-check before visit failed'),
          ...(payer && { payer }),
        }),
    },
  ];
}
