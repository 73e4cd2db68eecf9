import { type DynamicModule, Module } from '@nestjs/common';
import type { EventStore } from '@carebridge/event-store';
import { MessagingHost } from '@carebridge/messaging';
import { AuthModule, HealthModule, type JwtAuthOptions, type ReadinessCheck } from '@carebridge/platform';
import { CoverageController } from './coverage/coverage.http';
import { EligibilityCheckController } from './eligibility/eligibility-check.http';
import type { RuleCatalog } from './rules/rule-set.rules';
import { AFTER_APPEND, EVENT_STORE, RULE_CATALOG } from './tokens';

export interface BillingEligibilityOptions {
  readonly store: EventStore;
  readonly catalog: RuleCatalog;
  readonly auth: JwtAuthOptions;
  readonly checks: readonly ReadinessCheck[];
  /** MessagingModule.forRootAsync(...) with the relay; omitted in HTTP-only tests. */
  readonly messaging?: DynamicModule;
}

/** The composition root: ports bound by token to the adapters main.ts (or a test) built. */
@Module({})
export class BillingEligibilityModule {
  static register(options: BillingEligibilityOptions): DynamicModule {
    return {
      module: BillingEligibilityModule,
      imports: [
        AuthModule.register(options.auth),
        HealthModule.register({ checks: options.checks }),
        ...(options.messaging ? [options.messaging] : []),
      ],
      controllers: [CoverageController, EligibilityCheckController],
      providers: [
        { provide: EVENT_STORE, useValue: options.store },
        { provide: RULE_CATALOG, useValue: options.catalog },
        options.messaging
          ? { provide: AFTER_APPEND, inject: [MessagingHost], useFactory: (host: MessagingHost) => () => host.relay?.nudge() }
          : { provide: AFTER_APPEND, useValue: () => undefined },
      ],
    };
  }
}
