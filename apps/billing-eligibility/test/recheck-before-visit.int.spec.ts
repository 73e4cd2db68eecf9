import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { PostgresEventStore, migrate } from '@carebridge/event-store';
import { DevTokenIssuer, configureServiceApp, createLogger } from '@carebridge/platform';
import { type TestSchema, createTestSchema, eventually, testInfrastructure, uniqueName } from '@carebridge/testing';
import { BillingEligibilityModule } from '../src/billing-eligibility.module';
import { RecheckBeforeVisitJobs, recheckJobId } from '../src/jobs/recheck-before-visit.job';
import { CoverageChangeReactor } from '../src/eligibility/coverage-change.reactor';
import { RECHECK_BEFORE_VISIT_MS } from '../src/billing-eligibility.tokens';
import { NO_COVERAGE_REACTOR, billingOptions } from './billing-app.fixtures';

let db: TestSchema;
let app: NestExpressApplication;
let store: PostgresEventStore;
let token: string;
let opsToken: string;
const providerId = randomUUID();
const MINUTE = 60_000;

beforeAll(async () => {
  db = await createTestSchema('billing_eligibility_jobs');
  await migrate(db.pool, db.schema);
  store = new PostgresEventStore(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      BillingEligibilityModule.register(billingOptions(db, issuer, { jobs: { kind: 'redis', url: testInfrastructure.redisUrl, prefix: uniqueName('be-jobs') } })),
    ],
  })
    // The job runs this long before the visit: 10 minutes minus 3 seconds, so 3 s after booking here.
    .overrideProvider(RECHECK_BEFORE_VISIT_MS)
    .useValue(10 * MINUTE - 3_000)
    // A coverage-change reactor that does nothing: only the job may notice the coverage ending below.
    .overrideProvider(CoverageChangeReactor)
    .useValue(NO_COVERAGE_REACTOR)
    .compile();
  app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), {
    logger: createLogger({ service: 'billing-eligibility-spec', level: 'silent' }),
  });
  await app.init();
  token = await issuer.mint({ sub: providerId, role: 'provider', providerId });
  opsToken = await issuer.mint({ sub: randomUUID(), role: 'ops' });
});

afterAll(async () => {
  await app?.close();
  await db?.dispose();
});

it('checks the answer again before the visit and records it when it changed', async () => {
  const http = () => request(app.getHttpServer());
  const patientId = randomUUID();
  // Coverage is recorded by ops (front desk): the provider has no booking of this patient yet (issue 14).
  const coverage = await http()
    .post(`/patients/${patientId}/coverages`)
    .set('authorization', `Bearer ${opsToken}`)
    .set('idempotency-key', 'cov')
    .send({ payerKind: 'medicare-part-b', payerId: 'CMS', memberId: 'M1', effectiveFrom: '2026-01-01', order: 'primary' })
    .expect(201);
  const today = new Date().toISOString().slice(0, 10);
  const visitStartsAt = new Date(Date.now() + 10 * MINUTE).toISOString();
  const appointmentId = randomUUID();
  const first = await http()
    .post('/eligibility-checks')
    .set('authorization', `Bearer ${token}`)
    .set('idempotency-key', 'check')
    .send({
      patientId,
      appointmentId,
      visitStartsAt,
      serviceCodes: ['99213'],
      modality: 'video',
      patientLocation: { state: 'CA', setting: 'home' },
      provider: { providerId, licences: [{ state: 'CA', expiresOn: '2030-12-31' }] },
      dateOfService: today,
    })
    .expect(201);
  expect(first.body.determination.outcome).toBe('covered');

  const jobs = app.get(RecheckBeforeVisitJobs);
  const job = await eventually(() => jobs.queue.getJob(recheckJobId(appointmentId, visitStartsAt)), { what: 'the scheduled re-check' });
  expect(job.delay).toBeGreaterThan(0);

  // The coverage-change reactor is stubbed out (above): only the job can notice that Medicare ended yesterday.
  const yesterday = new Date(Date.now() - 24 * 60 * MINUTE).toISOString().slice(0, 10);
  await http()
    .patch(`/patients/${patientId}/coverages/${coverage.body.coverage.coverageId}`)
    .set('authorization', `Bearer ${opsToken}`)
    .send({ effectiveFrom: '2026-01-01', terminatesOn: yesterday })
    .expect(200);

  const events = await eventually(
    async () => {
      const stream = await store.readStream(`eligibility-${patientId}`);
      return stream.length >= 2 ? stream : undefined;
    },
    { timeoutMs: 20_000, what: 'the re-check before the visit' },
  );
  expect(events[1]!.metadata).toMatchObject({ actor: { id: 'billing-eligibility', role: 'system' }, commandId: recheckJobId(appointmentId, visitStartsAt) });
  expect(events[1]!.data).toMatchObject({ changedFrom: 'covered', determination: { outcome: 'unknown' } });
});
