import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { PostgresEventStore, handle, migrate } from '@carebridge/event-store';
import { DevTokenIssuer, configureServiceApp, createLogger } from '@carebridge/platform';
import { type TestSchema, createTestSchema, eventually, testInfrastructure, uniqueName } from '@carebridge/testing';
import { BillingEligibilityModule } from '../src/billing-eligibility.module';
import { coverageOn } from '../src/coverage/coverage.decider';
import { readCoverage } from '../src/coverage/coverage.projection';
import { eligibilityDecider } from '../src/eligibility/eligibility.decider';
import type { EligibilityDetermined, EligibilityRequest } from '../src/eligibility/eligibility.events';
import { eligibilityStreamId } from '../src/eligibility/eligibility.stream';
import { RecheckBeforeVisitJobs, payerFollowUpJobId } from '../src/jobs/recheck-before-visit.job';
import { determine } from '../src/rules/determine.rules';
import { HttpPayerConnection } from '../src/payer/payer-connection-http.adapter';
import { loadRuleCatalog } from '../src/rules/rule-set.loader';
import { CoverageChangeReactor } from '../src/eligibility/coverage-change.reactor';
import { NO_COVERAGE_REACTOR, billingOptions } from './billing-app.fixtures';
import { answerWithRecorded271 } from '../src/x12/testing/recorded-payer.fixtures';

// A clearing house on loopback: real HTTP, answering the 270 with a recorded 271 (or an error).
let payerServer: Server;
const inquiries: string[] = [];
let payerStatus = 200;
// `another-member`: the clearing house answers with a 271 for someone else (another member, another trace).
let payerAnswers: 'ours' | 'another-member' = 'ours';
let db: TestSchema;
let store: PostgresEventStore;
let app: NestExpressApplication;
let ops: string;
const catalog = loadRuleCatalog();

beforeAll(async () => {
  const recorded = (name: string) => readFile(path.join(__dirname, '..', 'src', 'x12', 'samples', name), 'utf8');
  const answer = await recorded('02-commercial-multiple-eb.x12');
  const anotherMembers = await recorded('01-medicare-active.x12');
  payerServer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      inquiries.push(body);
      const body271 = payerAnswers === 'ours' ? answerWithRecorded271(answer, body) : anotherMembers;
      res.writeHead(payerStatus, { 'content-type': 'application/edi-x12' }).end(payerStatus === 200 ? body271 : 'unavailable');
    });
  });
  await new Promise<void>((resolve) => payerServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(payerServer.address() as AddressInfo).port}/x12/270`;

  db = await createTestSchema('billing_payer_check');
  await migrate(db.pool, db.schema);
  store = new PostgresEventStore(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      BillingEligibilityModule.register({
        ...billingOptions(db, issuer, { shippedRules: catalog }),
        jobs: { kind: 'redis', url: testInfrastructure.redisUrl, prefix: uniqueName('be-payer') },
        payer: {
          connection: new HttpPayerConnection({ url, timeoutMs: 5_000 }),
          senderId: 'CAREBRIDGE',
          receiverId: 'ACME01',
          traceOriginatorId: '1123456789',
          provider: { name: 'CAREBRIDGE CLINIC', npi: '1234567893' },
        },
      }),
    ],
  })
    .overrideProvider(CoverageChangeReactor)
    .useValue(NO_COVERAGE_REACTOR)
    .compile();
  app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), {
    logger: createLogger({ service: 'billing-payer-check-spec', level: 'silent' }),
  });
  await app.init();
  ops = `Bearer ${await issuer.mint({ sub: randomUUID(), role: 'ops' })}`;
});

afterAll(async () => {
  await app?.close();
  await db?.dispose();
  await new Promise<void>((resolve) => payerServer.close(() => resolve()));
});

const http = () => request(app.getHttpServer());
const subscriber = { firstName: 'RICHARD', lastName: 'ROE', birthDate: '1961-04-12' };

async function patientWithCommercialPlan(withSubscriber: boolean) {
  const patientId = randomUUID();
  await http()
    .post(`/v1/patients/${patientId}/coverages`)
    .set('authorization', ops)
    .set('idempotency-key', randomUUID())
    .send({
      payerKind: 'commercial',
      payerId: 'ACME01',
      planName: 'ACME HEALTH PLAN',
      state: 'CA',
      memberId: 'A123456789',
      effectiveFrom: '2026-01-01',
      order: 'primary',
      ...(withSubscriber && { subscriber }),
    })
    .expect(201);
  return patientId;
}

const check = (patientId: string, extra: Record<string, unknown> = {}) =>
  http()
    .post('/v1/eligibility-checks')
    .set('authorization', ops)
    .set('idempotency-key', randomUUID())
    .send({
      patientId,
      serviceCodes: ['99213'],
      modality: 'video',
      patientLocation: { state: 'CA', setting: 'home' },
      provider: { providerId: randomUUID(), licences: [{ state: 'CA', expiresOn: '2030-12-31' }] },
      dateOfService: '2027-05-01',
      ...extra,
    });

describe('asking the payer (X12 270/271 over HTTP) during an eligibility check', () => {
  it("adds the payer's word and cost share from the 271 to the rules' answer", async () => {
    const patientId = await patientWithCommercialPlan(true);
    const before = inquiries.length;
    const response = await check(patientId).expect(201);

    expect(inquiries).toHaveLength(before + 1);
    const sent = inquiries.at(-1)!;
    expect(sent).toMatch(/^ISA\*/);
    expect(sent).toContain('NM1*IL*1*ROE*RICHARD');
    expect(sent).toContain('*D8*19610412');
    expect(sent).toContain('EQ*30^98~');
    const d = response.body.determination;
    expect(d.costShare).toMatchObject({ copay: 25, deductibleRemaining: 600, outOfPocketRemaining: 2400 });
    expect(d.reasons.map((r: { code: string }) => r.code)).toEqual(expect.arrayContaining(['PAYER.COVERAGE_ACTIVE', 'COMMERCIAL.COVERAGE_PARITY']));
    // The 271's interchange control number (sample 02: 000000102), as the README says.
    expect(d.reasons.find((r: { code: string }) => r.code === 'PAYER.COVERAGE_ACTIVE').source.citation).toBe('X12 271 from payer ACME01, control number 000000102');
    expect(sent.endsWith('IEA*1*' + sent.slice(90, 99) + '~')).toBe(true);
  });

  it('records a 271 naming another member and another trace as unknown (PAYER.RESPONSE_MISMATCH), never as active coverage', async () => {
    const patientId = await patientWithCommercialPlan(true);
    payerAnswers = 'another-member';
    try {
      const response = await check(patientId).expect(201);
      const d = response.body.determination;
      expect(d.outcome).toBe('unknown');
      expect(d.costShare).toBeNull();
      const codes = d.reasons.map((r: { code: string }) => r.code);
      expect(codes).toContain('PAYER.RESPONSE_MISMATCH');
      expect(codes).not.toContain('PAYER.COVERAGE_ACTIVE');
      const [recorded] = (await store.readStream(eligibilityStreamId(patientId))).filter((e) => e.type === 'EligibilityDetermined') as unknown as { data: EligibilityDetermined['data'] }[];
      expect(recorded!.data.determination.outcome).toBe('unknown');
      expect(recorded!.data.determination.costShare).toBeNull();
      expect(recorded!.data.determination.reasons.find((r) => r.code === 'PAYER.RESPONSE_MISMATCH')!.source.citation).toBe('X12 271 from payer ACME01, control number 000000101');
    } finally {
      payerAnswers = 'ours';
    }
  });

  it('answers unknown, naming the payer, when the payer cannot be reached', async () => {
    const patientId = await patientWithCommercialPlan(true);
    payerStatus = 503;
    try {
      const response = await check(patientId).expect(201);
      expect(response.body.determination.outcome).toBe('unknown');
      expect(response.body.determination.reasons.map((r: { code: string }) => r.code)).toContain('PAYER.UNREACHABLE');
      expect(response.body.determination.costShare).toBeNull();
    } finally {
      payerStatus = 200;
    }
  });

  it('does not ask without the subscriber on record, nor for a past answer (asOf)', async () => {
    const withoutSubscriber = await patientWithCommercialPlan(false);
    const withSubscriber = await patientWithCommercialPlan(true);
    const before = inquiries.length;
    const rulesOnly = await check(withoutSubscriber).expect(201);
    const reproduced = await check(withSubscriber, { asOf: '2026-12-07' }).expect(201);
    expect(inquiries).toHaveLength(before);
    for (const answer of [rulesOnly, reproduced]) {
      expect(answer.body.determination.costShare).toBeNull();
      expect(answer.body.determination.reasons.some((r: { code: string }) => r.code.startsWith('PAYER.'))).toBe(false);
    }
  });

  it('refuses a subscriber name that would break the X12 segment (400 naming the field)', async () => {
    const response = await http()
      .post(`/v1/patients/${randomUUID()}/coverages`)
      .set('authorization', ops)
      .set('idempotency-key', randomUUID())
      .send({
        payerKind: 'commercial',
        payerId: 'ACME01',
        state: 'CA',
        memberId: 'A1',
        effectiveFrom: '2026-01-01',
        order: 'primary',
        subscriber: { firstName: 'RICH~ARD', lastName: 'ROE' },
      })
      .expect(400);
    expect(response.body.errors[0].field).toBe('subscriber.firstName');
  });
});

describe('asking the payer after an answer the service gave by the rules alone (booking, coverage change)', () => {
  // As the Kafka consumer records it: the rules' answer, by the service, inside its transaction.
  async function answeredByRules(patientId: string) {
    const appointmentId = randomUUID();
    const request: EligibilityRequest = {
      patientId,
      appointmentId,
      serviceCodes: ['99213'],
      modality: 'video',
      purpose: 'other',
      patientLocation: { state: 'CA', setting: 'home' },
      provider: { providerId: randomUUID(), licences: [{ state: 'CA', expiresOn: '2030-12-31' }], billing: 'professional' },
      dateOfService: '2027-05-01',
    };
    const determination = determine(request, coverageOn(await readCoverage(store, patientId), request.dateOfService), catalog, '2026-12-08');
    const determinationId = randomUUID();
    await handle(store, eligibilityStreamId(patientId), eligibilityDecider, {
      type: 'RecordDetermination',
      data: { determinationId, patientId, request, determination },
      metadata: { now: new Date(), actor: { id: 'scheduling', role: 'system' }, correlationId: randomUUID(), commandId: `event:${determinationId}`, purpose: 'payment' },
    });
    app.get(RecheckBeforeVisitJobs).nudge();
    return { appointmentId, determinationId, jobId: payerFollowUpJobId(determinationId), rulesAnswer: determination };
  }
  const answers = async (patientId: string) =>
    (await store.readStream(eligibilityStreamId(patientId))).filter((e) => e.type === 'EligibilityDetermined') as unknown as { data: EligibilityDetermined['data']; metadata: { commandId?: string } }[];

  it("records the payer's word and cost share, published like any changed answer", async () => {
    const patientId = await patientWithCommercialPlan(true);
    const before = inquiries.length;
    const { jobId, rulesAnswer } = await answeredByRules(patientId);
    expect(rulesAnswer.costShare).toBeNull();
    const [, followed] = await eventually(async () => ((await answers(patientId)).length === 2 ? answers(patientId) : undefined), {
      what: "the payer's answer after the rules'",
      timeoutMs: 20_000,
    });
    expect(inquiries.length).toBe(before + 1);
    expect(followed!.metadata.commandId).toBe(jobId);
    expect(followed!.data.determination.costShare).toMatchObject({ copay: 25, deductibleRemaining: 600, outOfPocketRemaining: 2400 });
    expect(followed!.data.determination.reasons.map((r) => r.code)).toContain('PAYER.COVERAGE_ACTIVE');
    // The payer's answer is not followed up again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(inquiries.length).toBe(before + 1);
  });

  it('retries an unreachable payer instead of recording unknown', async () => {
    const patientId = await patientWithCommercialPlan(true);
    payerStatus = 503;
    const { jobId } = await answeredByRules(patientId);
    const jobs = app.get(RecheckBeforeVisitJobs);
    try {
      await eventually(async () => ((await (await jobs.queue.getJob(jobId))?.attemptsMade) ?? 0) >= 1 || undefined, { what: 'a failed first attempt', timeoutMs: 20_000 });
    } finally {
      payerStatus = 200;
    }
    await eventually(async () => ((await (await jobs.queue.getJob(jobId))?.getState()) === 'completed' ? true : undefined), { what: 'the retried follow-up', timeoutMs: 20_000 });
    const recorded = await answers(patientId);
    expect(recorded).toHaveLength(2);
    expect(recorded.map((a) => a.data.determination.outcome)).not.toContain('unknown');
    expect(recorded[1]!.data.determination.costShare).toMatchObject({ copay: 25, deductibleRemaining: 600, outOfPocketRemaining: 2400 });
  });
});
