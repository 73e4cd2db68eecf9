import { AccessControlModule } from '@carebridge/access-audit';
import { type DynamicModule, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import type { EventStore, PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost } from '@carebridge/messaging';
import { BILLING_ACCESS_POLICY, billingRelationships } from './access-policy';
import { AuthModule, HealthModule, type JobsConnection, type JwtAuthOptions, type ReadinessCheck } from '@carebridge/platform';
import { CoverageController } from './coverage/coverage.http';
import { InboundEventsConsumer } from './integration/inbound.consumer';
import { EligibilityCheckController } from './eligibility/eligibility-check.http';
import { FhirController } from './fhir/fhir.http';
import { OpenApiController } from './openapi/openapi.http';
import { RulesController } from './rules/rules.http';
import { PAYER_CHECK, type PayerCheckOptions } from './payer/payer-check';
import type { RuleCatalog } from './rules/rule-set.rules';
import { LiveRuleCatalog, RuleCatalogRefresher } from './rules/live-rule-catalog';
import { CoverageChangeReactor } from './eligibility/coverage-change.reactor';
import { RecheckBeforeVisitJobs } from './jobs/recheck-before-visit.job';
import { AFTER_APPEND, type AfterAppend, EVENT_STORE, RELAY_NUDGE, RULE_CATALOG } from './tokens';

export interface BillingEligibilityOptions {
  readonly store: EventStore;
  readonly catalog: RuleCatalog;
  readonly auth: JwtAuthOptions;
  readonly checks: readonly ReadinessCheck[];
  /** Readiness warnings (rule sets ending within 120 days with no successor). */
  readonly warnings?: () => readonly string[];
  /** MessagingModule.forRootAsync(...) with the relay and the inbound events transport; omitted in HTTP-only tests. */
  readonly messaging?: DynamicModule;
  /** Re-checks upcoming appointments when coverage changes (a projection on this store). */
  readonly recheck?: { readonly store: PostgresEventStore; readonly pool: Pool; readonly onError?: (error: unknown) => void };
  /** Asks the payer (X12 270/271) during checks and the 24 h re-check; rules alone without it. */
  readonly payer?: PayerCheckOptions;
  /** Re-checks each appointment 24 h before the visit (BullMQ on Redis or PostgreSQL). */
  readonly jobs?: {
    readonly store: PostgresEventStore;
    readonly pool: Pool;
    readonly connection: JobsConnection;
    readonly beforeMs?: number;
    readonly onError?: (error: unknown) => void;
  };
}

/** The composition root: ports bound by token to the adapters main.ts (or a test) built. */
@Module({})
export class BillingEligibilityModule {
  static register(given: BillingEligibilityOptions): DynamicModule {
    // Rule sets ops activate at run time join the shipped ones (rules.http.ts).
    const catalog = given.catalog instanceof LiveRuleCatalog ? given.catalog : new LiveRuleCatalog(given.catalog.ruleSets);
    const options = { ...given, catalog };
    return {
      module: BillingEligibilityModule,
      imports: [
        AuthModule.register(options.auth),
        AccessControlModule.register({ service: 'billing-eligibility', store: options.store, policy: BILLING_ACCESS_POLICY, relationships: billingRelationships(options.store) }),
        HealthModule.register({ checks: options.checks, ...(options.warnings && { warnings: options.warnings }) }),
        ...(options.messaging ? [options.messaging] : []),
      ],
      controllers: [...(options.messaging ? [InboundEventsConsumer] : []), CoverageController, EligibilityCheckController, FhirController, OpenApiController, RulesController],
      providers: [
        { provide: EVENT_STORE, useValue: options.store },
        { provide: RULE_CATALOG, useValue: catalog },
        { provide: RuleCatalogRefresher, useFactory: () => new RuleCatalogRefresher(catalog, options.store) },
        ...(options.payer ? [{ provide: PAYER_CHECK, useValue: options.payer }] : []),
        options.messaging
          ? { provide: RELAY_NUDGE, inject: [MessagingHost], useFactory: (host: MessagingHost) => () => host.relay?.nudge() }
          : { provide: RELAY_NUDGE, useValue: () => undefined },
        ...(options.recheck
          ? [
              {
                provide: CoverageChangeReactor,
                inject: [RELAY_NUDGE],
                useFactory: (relayNudge: AfterAppend) =>
                  new CoverageChangeReactor({ ...options.recheck!, catalog: options.catalog, afterAppend: relayNudge }),
              },
              {
                provide: AFTER_APPEND,
                inject: [RELAY_NUDGE, CoverageChangeReactor],
                useFactory: (relayNudge: AfterAppend, reactor: CoverageChangeReactor) => () => {
                  relayNudge();
                  reactor.nudge();
                },
              },
            ]
          : [{ provide: AFTER_APPEND, useExisting: RELAY_NUDGE }]),
        ...(options.jobs
          ? [
              {
                provide: RecheckBeforeVisitJobs,
                inject: [RELAY_NUDGE],
                useFactory: (relayNudge: AfterAppend) =>
                  new RecheckBeforeVisitJobs({
                    ...options.jobs!,
                    catalog: options.catalog,
                    afterAppend: relayNudge,
                    ...(options.payer && { payer: options.payer }),
                  }),
              },
            ]
          : []),
      ],
    };
  }
}
