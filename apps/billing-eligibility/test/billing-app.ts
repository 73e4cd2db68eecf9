import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { PostgresEventStore, migrate } from '@carebridge/event-store';
import { DevTokenIssuer, configureServiceApp, createLogger, postgresCheck } from '@carebridge/platform';
import { type TestSchema, createTestSchema } from '@carebridge/testing';
import { BillingEligibilityModule } from '../src/billing-eligibility.module';
import { loadRuleCatalog } from '../src/rules/rule-set.loader';

/** The HTTP-only service on its own schema, with the repository's rule sets and a dev token issuer. */
export async function startBillingApp(schemaName: string): Promise<{ db: TestSchema; app: NestExpressApplication; issuer: DevTokenIssuer }> {
  const db = await createTestSchema(schemaName);
  await migrate(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      BillingEligibilityModule.register({
        store: new PostgresEventStore(db.pool, db.schema),
        catalog: loadRuleCatalog(),
        auth: issuer.authOptions(),
        checks: [postgresCheck(db.pool)],
      }),
    ],
  }).compile();
  const app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), {
    logger: createLogger({ service: `${schemaName}-spec`, level: 'silent' }),
  });
  await app.init();
  return { db, app, issuer };
}
