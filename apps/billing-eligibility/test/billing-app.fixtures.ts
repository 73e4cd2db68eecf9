import { randomUUID } from 'node:crypto';
import { AppointmentBooked } from '@carebridge/contracts';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { PostgresEventStore, migrate } from '@carebridge/event-store';
import { DevTokenIssuer, configureServiceApp, createLogger, postgresCheck } from '@carebridge/platform';
import { type TestSchema, createTestSchema } from '@carebridge/testing';
import { BillingEligibilityModule, type BillingEligibilityOptions } from '../src/billing-eligibility.module';
import { IntegrationEventContext } from '@carebridge/messaging';
import { CoverageChangeReactor } from '../src/eligibility/coverage-change.reactor';
import { InboundEventsConsumer } from '../src/integration/inbound.consumer';
import { loadRuleCatalog } from '../src/rules/rule-set.loader';

/** The module's options on a test schema: the repository's rule sets, no payer, a silent logger; `more` adds or replaces. */
export function billingOptions(db: TestSchema, issuer: DevTokenIssuer, more: Partial<BillingEligibilityOptions> = {}): BillingEligibilityOptions {
  return {
    pool: db.pool,
    schema: db.schema,
    auth: issuer.authOptions(),
    logger: createLogger({ service: 'billing-eligibility-spec', level: 'silent' }),
    checks: [postgresCheck(db.pool)],
    shippedRules: loadRuleCatalog(),
    payer: null,
    ...more,
  };
}

/**
 * Stands in for the coverage-change reactor in tests of the API alone: its re-checks would race
 * the requests of the test on the same streams (tests of the reactor keep it).
 */
export const NO_COVERAGE_REACTOR = { nudge: (): void => undefined };

/** The HTTP-only service on its own schema, with the repository's rule sets and a dev token issuer. */
export async function startBillingApp(schemaName: string): Promise<{ db: TestSchema; app: NestExpressApplication; issuer: DevTokenIssuer }> {
  const db = await createTestSchema(schemaName);
  await migrate(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      BillingEligibilityModule.register(billingOptions(db, issuer)),
    ],
  })
    .overrideProvider(CoverageChangeReactor)
    .useValue(NO_COVERAGE_REACTOR)
    .compile();
  const app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), {
    logger: createLogger({ service: `${schemaName}-spec`, level: 'silent' }),
  });
  await app.init();
  return { db, app, issuer };
}

/**
 * Books a telehealth appointment of the patient with the provider the way production learns of it:
 * scheduling's AppointmentBooked through the inbound consumer, which records the determination
 * that makes the provider the treating provider (the care relationship of billing-eligibility).
 */
export async function bookThroughScheduling(db: TestSchema, providerId: string, patientId: string, appointmentId = randomUUID()): Promise<string> {
  const booked: typeof AppointmentBooked.Data = {
    appointmentId,
    patientId,
    providerId,
    startsAt: '2027-03-10T17:00:00.000Z',
    endsAt: '2027-03-10T17:30:00.000Z',
    modality: 'video',
    patientState: 'CA',
    serviceCodes: ['99213'],
    visitPurpose: 'other',
    patientSetting: 'home',
    providerLicences: [{ state: 'CA', expiresOn: '2030-01-31' }],
  };
  const event = {
    id: randomUUID(),
    source: 'scheduling',
    type: AppointmentBooked.type,
    specversion: '1.0',
    time: new Date().toISOString(),
    correlationid: randomUUID(),
    data: booked,
    kafka: { topic: AppointmentBooked.topic, partition: 0, offset: '0' },
  };
  await new InboundEventsConsumer(loadRuleCatalog()).appointmentBooked(
    event as never,
    new IntegrationEventContext({ store: new PostgresEventStore(db.pool, db.schema), client: undefined as never, attempt: 1 }),
  );
  return appointmentId;
}
