import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { PostgresEventStore, migrate } from '@carebridge/event-store';
import { DevTokenIssuer, configureServiceApp, createLogger } from '@carebridge/platform';
import { type TestSchema, createTestSchema } from '@carebridge/testing';
import { BillingEligibilityModule } from '../src/billing-eligibility.module';
import { CoverageChangeReactor } from '../src/eligibility/coverage-change.reactor';
import { NO_COVERAGE_REACTOR, billingOptions } from './billing-app.fixtures';

let db: TestSchema;
let app: NestExpressApplication;
let issuer: DevTokenIssuer;
const patientId = randomUUID();
const otherPatientId = randomUUID();
const providerId = randomUUID();
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestSchema('billing_eligibility_api');
  await migrate(db.pool, db.schema);
  issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      BillingEligibilityModule.register(billingOptions(db, issuer)),
    ],
  })
    .overrideProvider(CoverageChangeReactor)
    .useValue(NO_COVERAGE_REACTOR)
    .compile();
  app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), {
    logger: createLogger({ service: 'billing-eligibility-spec', level: 'silent' }),
  });
  await app.init();
  tokens.patient = await issuer.mint({ sub: patientId, role: 'patient', patientId });
  tokens.otherPatient = await issuer.mint({ sub: otherPatientId, role: 'patient', patientId: otherPatientId });
  tokens.provider = await issuer.mint({ sub: providerId, role: 'provider', providerId });
  tokens.ops = await issuer.mint({ sub: randomUUID(), role: 'ops' });
  tokens.cms = await issuer.mint({ sub: 'CMS', role: 'payer' });
  tokens.otherPayer = await issuer.mint({ sub: 'ACME', role: 'payer' });
});

afterAll(async () => {
  await app?.close();
  await db?.dispose();
});

const http = () => request(app.getHttpServer());
const medicare = { payerKind: 'medicare-part-b', payerId: 'CMS', memberId: '1EG4TE5MK72', effectiveFrom: '2026-01-01', order: 'primary' };
const visit = (overrides: Record<string, unknown> = {}) => ({
  patientId,
  appointmentId: randomUUID(),
  serviceCodes: ['99213'],
  modality: 'video',
  patientLocation: { state: 'CA', setting: 'home' },
  provider: { providerId, licences: [{ state: 'CA', expiresOn: '2030-12-31' }] },
  dateOfService: '2027-12-31',
  asOf: '2026-12-07',
  ...overrides,
});

async function recordMedicare(): Promise<string> {
  const response = await http()
    .post(`/patients/${patientId}/coverages`)
    .set('authorization', `Bearer ${tokens.patient}`)
    .set('idempotency-key', 'medicare-1')
    .send(medicare)
    .expect(201);
  return response.body.coverage.coverageId as string;
}

describe('billing-eligibility HTTP API (real PostgreSQL)', () => {
  let coverageId: string;

  beforeAll(async () => {
    coverageId = await recordMedicare();
  });

  describe('coverage', () => {
    it('lets a patient record their own coverage, once per idempotency key', async () => {
      const again = await http()
        .post(`/patients/${patientId}/coverages`)
        .set('authorization', `Bearer ${tokens.patient}`)
        .set('idempotency-key', 'medicare-1')
        .send(medicare)
        .expect(201);
      expect(again.body.coverage.coverageId).toBe(coverageId);
      // The patient reads it back (a provider needs a booking of the patient first: issue 14).
      const list = await http().get(`/patients/${patientId}/coverages`).set('authorization', `Bearer ${tokens.patient}`).expect(200);
      expect(list.body.coverages).toHaveLength(1);
      expect(list.body.coverages[0]).toMatchObject({ ...medicare, coverageId });
    });

    it('refuses a patient recording coverage for another patient', async () => {
      const response = await http()
        .post(`/patients/${patientId}/coverages`)
        .set('authorization', `Bearer ${tokens.otherPatient}`)
        .set('idempotency-key', 'x')
        .send(medicare)
        .expect(404); // another patient's record is as unknown (issue 14)
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.code).toBe('ACCESS.NOT_FOUND');
    });

    it('answers 400 naming each bad field', async () => {
      const response = await http()
        .post(`/patients/${patientId}/coverages`)
        .set('authorization', `Bearer ${tokens.ops}`)
        .set('idempotency-key', 'bad')
        .send({ payerKind: 'medicaid', state: 'ZZ', effectiveFrom: '2026-13-01', order: 'primary' })
        .expect(400);
      expect(response.body.code).toBe('REQUEST.INVALID');
      expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['effectiveFrom', 'state']);
    });

    it('requires an Idempotency-Key', async () => {
      const response = await http().post(`/patients/${patientId}/coverages`).set('authorization', `Bearer ${tokens.ops}`).send(medicare).expect(400);
      expect(response.body.errors[0].field).toBe('Idempotency-Key');
    });

    it('enforces one primary at a time (409) and a primary under every secondary (422)', async () => {
      const second = await http()
        .post(`/patients/${patientId}/coverages`)
        .set('authorization', `Bearer ${tokens.ops}`)
        .set('idempotency-key', 'second-primary')
        .send({ ...medicare, payerKind: 'commercial', payerId: 'ACME', memberId: 'A1', state: 'CA' })
        .expect(409);
      expect(second.body.code).toBe('COVERAGE.ORDER_TAKEN');
      const orphan = await http()
        .post(`/patients/${otherPatientId}/coverages`)
        .set('authorization', `Bearer ${tokens.ops}`)
        .set('idempotency-key', 'orphan')
        .send({ ...medicare, order: 'secondary' })
        .expect(422);
      expect(orphan.body.code).toBe('COVERAGE.SECONDARY_WITHOUT_PRIMARY');
    });

    it('lets a payer see only its own coverages and refuses it others', async () => {
      const mine = await http().get(`/patients/${patientId}/coverages`).set('authorization', `Bearer ${tokens.cms}`).expect(200);
      expect(mine.body.coverages).toHaveLength(1);
      const theirs = await http().get(`/patients/${patientId}/coverages`).set('authorization', `Bearer ${tokens.otherPayer}`).expect(200);
      expect(theirs.body.coverages).toEqual([]);
      await http()
        .post(`/patients/${patientId}/coverages`)
        .set('authorization', `Bearer ${tokens.otherPayer}`)
        .set('idempotency-key', 'not-mine')
        .send(medicare)
        .expect(403);
    });

    it('needs a bearer token', async () => {
      const response = await http().get(`/patients/${patientId}/coverages`).expect(401);
      expect(response.body.code).toMatch(/^AUTH\./);
    });
  });

  describe('eligibility checks', () => {
    it('answers covered at home on 2027-12-31 with reasons, POS 10 and no modifier 95, and stores it', async () => {
      const response = await http()
        .post('/eligibility-checks')
        .set('authorization', `Bearer ${tokens.provider}`)
        .set('idempotency-key', 'check-1')
        .send(visit())
        .expect(201);
      expect(response.body.determination).toMatchObject({ outcome: 'covered', placeOfService: '10', modifiers: [], asOf: '2026-12-07' });
      expect(response.body.determination.coverage.coverageId).toBe(coverageId);
      expect(response.body.determination.ruleSets).toContainEqual({ ruleSetId: 'medicare', version: '2026.12.1' });
      const reason = response.body.determination.reasons.find((r: { code: string }) => r.code === 'MEDICARE.HOME_ORIGINATING_SITE');
      expect(reason).toMatchObject({ ruleId: 'medicare.originating-site.flexibilities-through-2027', ruleVersion: 1 });
      expect(reason.source.citation).toMatch(/Consolidated Appropriations Act, 2026/);

      const stored = await new PostgresEventStore(db.pool, db.schema).readStream(`eligibility-${patientId}`);
      expect(stored.map((e) => e.type)).toEqual(['EligibilityDetermined']);
      expect((stored[0]!.data as { determination: { ruleSets: unknown[] } }).determination.ruleSets.length).toBeGreaterThan(0);
      expect(stored[0]!.metadata).toMatchObject({ actor: { id: providerId, role: 'provider' }, commandId: `provider:${providerId}:check-1`, purpose: 'payment' });
    });

    it('answers not covered the next day, 2028-01-01, and explains why', async () => {
      const response = await http()
        .post('/eligibility-checks')
        .set('authorization', `Bearer ${tokens.patient}`)
        .set('idempotency-key', 'check-2')
        .send(visit({ dateOfService: '2028-01-01' }))
        .expect(201);
      expect(response.body.determination.outcome).toBe('not-covered');
      expect(response.body.determination.reasons.map((r: { code: string }) => r.code)).toContain('MEDICARE.HOME_NOT_ORIGINATING_SITE');
    });

    it('returns the first answer again for a repeated idempotency key', async () => {
      const first = await http().post('/eligibility-checks').set('authorization', `Bearer ${tokens.provider}`).set('idempotency-key', 'check-3').send(visit()).expect(201);
      const again = await http().post('/eligibility-checks').set('authorization', `Bearer ${tokens.provider}`).set('idempotency-key', 'check-3').send(visit()).expect(201);
      expect(again.body.determinationId).toBe(first.body.determinationId);
      const list = await http().get(`/patients/${patientId}/eligibility-determinations`).set('authorization', `Bearer ${tokens.patient}`).expect(200);
      expect(list.body.determinations.filter((d: { determinationId: string }) => d.determinationId === first.body.determinationId)).toHaveLength(1);
    });

    it('records a changed answer for an appointment with changedFrom after the coverage changes', async () => {
      const appointmentId = randomUUID();
      const body = visit({ appointmentId, dateOfService: '2027-03-01' });
      const before = await http().post('/eligibility-checks').set('authorization', `Bearer ${tokens.provider}`).set('idempotency-key', 'appt-1').send(body).expect(201);
      expect(before.body.determination.outcome).toBe('covered');
      const otherPatientMedicare = { ...medicare, memberId: 'OTHER' };
      await http()
        .post(`/patients/${otherPatientId}/coverages`)
        .set('authorization', `Bearer ${tokens.ops}`)
        .set('idempotency-key', 'other-medicare')
        .send(otherPatientMedicare)
        .expect(201);
      // Medicare ends for this patient before the visit: no coverage in force, the answer becomes unknown.
      await http()
        .patch(`/patients/${patientId}/coverages/${coverageId}`)
        .set('authorization', `Bearer ${tokens.ops}`)
        .set('idempotency-key', 'terminate')
        .send({ terminatesOn: '2027-02-28' })
        .expect(200);
      const after = await http().post('/eligibility-checks').set('authorization', `Bearer ${tokens.provider}`).set('idempotency-key', 'appt-2').send(body).expect(201);
      expect(after.body.determination.outcome).toBe('unknown');
      expect(after.body.changedFrom).toBe('covered');
      await http()
        .patch(`/patients/${patientId}/coverages/${coverageId}`)
        .set('authorization', `Bearer ${tokens.ops}`)
        .send({ terminatesOn: '2099-12-31' })
        .expect(200);
    });

    it('answers 422 naming an unknown service code', async () => {
      const response = await http()
        .post('/eligibility-checks')
        .set('authorization', `Bearer ${tokens.provider}`)
        .set('idempotency-key', 'bad-code')
        .send(visit({ serviceCodes: ['99213', '12345'] }))
        .expect(422);
      expect(response.body.code).toBe('ELIGIBILITY.UNKNOWN_SERVICE_CODE');
      expect(response.body.detail).toMatch(/^serviceCodes\[1\]:/);
    });

    it('answers 422 naming an invalid state and a date outside the rule sets', async () => {
      const state = await http()
        .post('/eligibility-checks')
        .set('authorization', `Bearer ${tokens.provider}`)
        .set('idempotency-key', 'bad-state')
        .send(visit({ patientLocation: { state: 'PR', setting: 'home' } }))
        .expect(422);
      expect(state.body.detail).toMatch(/^patientLocation\.state:/);
      const date = await http()
        .post('/eligibility-checks')
        .set('authorization', `Bearer ${tokens.provider}`)
        .set('idempotency-key', 'bad-date')
        .send(visit({ dateOfService: '2025-06-01' }))
        .expect(422);
      expect(date.body.code).toBe('ELIGIBILITY.DATE_OUTSIDE_RULE_SETS');
      expect(date.body.detail).toMatch(/^dateOfService:/);
    });

    it('answers 400 naming malformed fields', async () => {
      const response = await http()
        .post('/eligibility-checks')
        .set('authorization', `Bearer ${tokens.provider}`)
        .set('idempotency-key', 'malformed')
        .send(visit({ modality: 'fax', serviceCodes: [] }))
        .expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['modality', 'serviceCodes']);
    });

    it('refuses a patient checking another patient', async () => {
      await http().post('/eligibility-checks').set('authorization', `Bearer ${tokens.otherPatient}`).set('idempotency-key', 'spy').send(visit()).expect(403);
    });

    it('shows a payer only eligibility, and only for its members', async () => {
      const mine = await http()
        .post('/eligibility-checks')
        .set('authorization', `Bearer ${tokens.cms}`)
        .set('idempotency-key', 'payer-1')
        .send(visit({ purpose: 'mental-health', serviceCodes: ['90834'] }))
        .expect(201);
      expect(mine.body).toMatchObject({ outcome: 'covered', serviceCodes: ['90834'], coverage: { payerId: 'CMS' } });
      expect(mine.body).not.toHaveProperty('reasons');
      expect(JSON.stringify(mine.body)).not.toMatch(/mental/);
      await http().post('/eligibility-checks').set('authorization', `Bearer ${tokens.otherPayer}`).set('idempotency-key', 'payer-2').send(visit()).expect(403);
      const list = await http().get(`/patients/${patientId}/eligibility-determinations`).set('authorization', `Bearer ${tokens.otherPayer}`).expect(200);
      expect(list.body.determinations).toEqual([]);
      const cmsList = await http().get(`/patients/${patientId}/eligibility-determinations`).set('authorization', `Bearer ${tokens.cms}`).expect(200);
      expect(cmsList.body.determinations.length).toBeGreaterThan(0);
      expect(cmsList.body.determinations.every((d: object) => !('reasons' in d) && !('request' in d))).toBe(true);
    });

    it('serves /health/ready without a token', async () => {
      const response = await http().get('/health/ready').expect(200);
      expect(response.body.status).toBe('ready');
    });
  });

  describe('FHIR R4', () => {
    const fhirRequest = (serviceCodes: string[], servicedDate: string) => ({
      resourceType: 'CoverageEligibilityRequest',
      status: 'active',
      purpose: ['validation'],
      patient: { reference: `Patient/${patientId}` },
      servicedDate,
      provider: { reference: `Practitioner/${providerId}` },
      insurance: [{ focal: true, coverage: { reference: `Coverage/${coverageId}` } }],
      item: serviceCodes.map((code) => ({ productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code }] } })),
      extension: [
        {
          url: 'https://carebridge.dev/fhir/StructureDefinition/telehealth-visit',
          valueString: JSON.stringify({
            modality: 'video',
            patientLocation: { state: 'CA', setting: 'home' },
            provider: { licences: [{ state: 'CA', expiresOn: '2030-12-31' }] },
            asOf: '2026-12-07',
          }),
        },
      ],
    });

    it('answers a CoverageEligibilityRequest with a CoverageEligibilityResponse, item by item', async () => {
      const response = await http()
        .post('/fhir/CoverageEligibilityRequest')
        .set('authorization', `Bearer ${tokens.provider}`)
        .set('idempotency-key', 'fhir-1')
        .send(fhirRequest(['99213', '93000'], '2027-06-01'))
        .expect(200);
      expect(response.body).toMatchObject({
        resourceType: 'CoverageEligibilityResponse',
        outcome: 'complete',
        patient: { reference: `Patient/${patientId}` },
        insurance: [{ coverage: { reference: `Coverage/${coverageId}` } }],
      });
      const items = response.body.insurance[0].item;
      expect(items.map((i: { excluded: boolean }) => i.excluded)).toEqual([false, true]);
      expect(items[1].description).toMatch(/not on the Medicare telehealth services list/);
      expect(response.body.disposition).toMatch(/^not-covered/);
    });

    it('accepts the FHIR media type application/fhir+json', async () => {
      const response = await http()
        .post('/fhir/CoverageEligibilityRequest')
        .set('authorization', `Bearer ${tokens.provider}`)
        .set('idempotency-key', 'fhir-media-type')
        .set('content-type', 'application/fhir+json; fhirVersion=4.0')
        .send(JSON.stringify(fhirRequest(['99213'], '2027-06-01')))
        .expect(200);
      expect(response.body).toMatchObject({ resourceType: 'CoverageEligibilityResponse', outcome: 'complete' });
    });

    it('answers 400 naming the missing telehealth extension', async () => {
      const { extension: _e, ...bare } = fhirRequest(['99213'], '2027-06-01');
      const response = await http()
        .post('/fhir/CoverageEligibilityRequest')
        .set('authorization', `Bearer ${tokens.provider}`)
        .set('idempotency-key', 'fhir-2')
        .send(bare)
        .expect(400);
      expect(response.body.issue[0].expression[0]).toMatch(/telehealth-visit/);
    });

    it('reads coverage as a FHIR Coverage bundle', async () => {
      const response = await http().get(`/fhir/Coverage?patient=${patientId}`).set('authorization', `Bearer ${tokens.patient}`).expect(200);
      expect(response.body).toMatchObject({ resourceType: 'Bundle', total: 1 });
      expect(response.body.entry[0].resource).toMatchObject({
        resourceType: 'Coverage',
        id: coverageId,
        subscriberId: '1EG4TE5MK72',
        beneficiary: { reference: `Patient/${patientId}` },
        payor: [{ identifier: { value: 'CMS' } }],
        order: 1,
      });
      await http().get(`/fhir/Coverage?patient=${patientId}`).set('authorization', `Bearer ${tokens.otherPatient}`).expect(404);
    });
  });

  describe('versioned API (/v1) and OpenAPI document', () => {
    const v1PatientId = randomUUID();

    beforeAll(async () => {
      tokens.v1Patient = await issuer.mint({ sub: v1PatientId, role: 'patient', patientId: v1PatientId });
    });

    it('serves /v1/openapi.json without a token, listing the /v1 routes', async () => {
      const response = await http().get('/v1/openapi.json').expect(200);
      expect(response.headers['content-type']).toMatch(/application\/json/);
      expect(response.body.openapi).toBe('3.1.0');
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining(['/v1/patients/{patientId}/coverages', '/v1/eligibility-checks', '/fhir/CoverageEligibilityRequest', '/fhir/R4/Coverage']),
      );
      expect(response.body.paths['/eligibility-checks'].post.deprecated).toBe(true);
    });

    it('records, changes and lists coverage and checks eligibility under /v1; the unversioned aliases read the same', async () => {
      const recorded = await http()
        .post(`/v1/patients/${v1PatientId}/coverages`)
        .set('authorization', `Bearer ${tokens.v1Patient}`)
        .set('idempotency-key', 'v1-medicare')
        .send(medicare)
        .expect(201);
      const v1CoverageId = recorded.body.coverage.coverageId as string;
      await http()
        .patch(`/v1/patients/${v1PatientId}/coverages/${v1CoverageId}`)
        .set('authorization', `Bearer ${tokens.ops}`)
        .send({ memberId: 'V1MEMBER' })
        .expect(200);
      const listed = await http().get(`/v1/patients/${v1PatientId}/coverages`).set('authorization', `Bearer ${tokens.v1Patient}`).expect(200);
      expect(listed.body.coverages).toEqual([expect.objectContaining({ coverageId: v1CoverageId, memberId: 'V1MEMBER' })]);
      const alias = await http().get(`/patients/${v1PatientId}/coverages`).set('authorization', `Bearer ${tokens.v1Patient}`).expect(200);
      expect(alias.body).toEqual(listed.body);

      const check = await http()
        .post('/v1/eligibility-checks')
        .set('authorization', `Bearer ${tokens.provider}`)
        .set('idempotency-key', 'v1-check')
        .send(visit({ patientId: v1PatientId }))
        .expect(201);
      expect(check.body.determination).toMatchObject({ outcome: 'covered', coverage: { coverageId: v1CoverageId } });
      const missingKey = await http().post('/v1/eligibility-checks').set('authorization', `Bearer ${tokens.provider}`).send(visit({ patientId: v1PatientId })).expect(400);
      expect(missingKey.body.errors[0].field).toBe('Idempotency-Key');

      const determinations = await http()
        .get(`/v1/patients/${v1PatientId}/eligibility-determinations`)
        .set('authorization', `Bearer ${tokens.v1Patient}`)
        .expect(200);
      expect(determinations.body.determinations.map((d: { determinationId: string }) => d.determinationId)).toEqual([check.body.determinationId]);
      const aliasDeterminations = await http()
        .get(`/patients/${v1PatientId}/eligibility-determinations`)
        .set('authorization', `Bearer ${tokens.v1Patient}`)
        .expect(200);
      expect(aliasDeterminations.body).toEqual(determinations.body);
      await http().get(`/v1/patients/${v1PatientId}/coverages`).set('authorization', `Bearer ${tokens.otherPatient}`).expect(404);
    });

    it('serves the FHIR views at /fhir/R4 as at /fhir', async () => {
      const r4 = await http().get(`/fhir/R4/Coverage?patient=${v1PatientId}`).set('authorization', `Bearer ${tokens.v1Patient}`).expect(200);
      const plain = await http().get(`/fhir/Coverage?patient=${v1PatientId}`).set('authorization', `Bearer ${tokens.v1Patient}`).expect(200);
      expect(r4.body).toMatchObject({ resourceType: 'Bundle', total: 1 });
      // The same bundle; its links and fullUrls name the base asked (absolute, issue 18).
      // (supertest listens on a new port per request: the origin is left out.)
      const base = (body: unknown) => JSON.parse(JSON.stringify(body).replace(/http:\/\/127\.0\.0\.1:\d+/g, '').replace(/\/fhir\/R4\//g, '/fhir/'));
      expect(base(r4.body)).toEqual(base(plain.body));
    });

    it('mounts every operation the document lists (401 without a token, not 404; the document itself 200)', async () => {
      const document = (await http().get('/v1/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
      const methods = ['get', 'post', 'patch', 'put', 'delete'] as const;
      let operations = 0;
      for (const [template, item] of Object.entries(document.paths)) {
        const url = template.replace(/\{[^}]+\}/g, () => randomUUID());
        for (const method of methods.filter((m) => item[m] !== undefined)) {
          operations += 1;
          const response = await http()[method](url).send({});
          const expected = item[method]!.security?.length === 0 ? 200 : 401;
          expect({ operation: `${method.toUpperCase()} ${template}`, status: response.status }).toEqual({ operation: `${method.toUpperCase()} ${template}`, status: expected });
        }
      }
      expect(operations).toBe(24); // with the accounting of disclosures and the break-the-glass review (issue 14), the health probes, and FHIR metadata at both bases (issue 18)
      // A path the document does not list is not mounted: the guard never sees it.
      await http().get('/v2/eligibility-checks').expect(404);
    });
  });
});
