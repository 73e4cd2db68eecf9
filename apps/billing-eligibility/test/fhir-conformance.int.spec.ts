import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { FhirConformance } from '@carebridge/fhir-http/testing';
import type { DevTokenIssuer } from '@carebridge/platform';
import type { TestSchema } from '@carebridge/testing';
import { bookThroughScheduling, startBillingApp } from './billing-app.fixtures';

/** Issue 18: billing-eligibility's FHIR endpoints driven by Medplum's client, every answer validated by Medplum's validator. */
describe('billing-eligibility FHIR R4 conformance (MedplumClient)', () => {
  let db: TestSchema;
  let app: NestExpressApplication;
  let issuer: DevTokenIssuer;
  let fhir: FhirConformance;
  beforeAll(async () => {
    ({ db, app, issuer } = await startBillingApp('billing_fhir'));
    await app.listen(0, '127.0.0.1');
    fhir = new FhirConformance(`http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, 'fhir/R4');
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  it('creates CoverageEligibilityRequests without an Idempotency-Key (provider and payer get a CoverageEligibilityResponse), pages Coverage; errors are OperationOutcome', async () => {
    const [patientId, providerId] = [randomUUID(), randomUUID()];
    const patientToken = await issuer.mint({ sub: patientId, role: 'patient', patientId });
    const coverages = [];
    for (const [order, memberId] of [['primary', '1EG4TE5MK72'], ['secondary', '2EG4TE5MK73']] as const) {
      const recorded = await request(app.getHttpServer())
        .post(`/v1/patients/${patientId}/coverages`)
        .set({ authorization: `Bearer ${patientToken}`, 'idempotency-key': `coverage-${order}` })
        .send({ payerKind: 'medicare-part-b', payerId: 'CMS', memberId, effectiveFrom: '2026-01-01', order })
        .expect(201);
      coverages.push(recorded.body.coverage.coverageId as string);
    }
    await bookThroughScheduling(db, providerId, patientId);
    const provider = fhir.client(await issuer.mint({ sub: providerId, role: 'provider', providerId }));
    const payer = fhir.client(await issuer.mint({ sub: 'CMS', role: 'payer' }));
    const eligibilityRequest = {
      resourceType: 'CoverageEligibilityRequest',
      status: 'active',
      purpose: ['validation'],
      patient: { reference: `Patient/${patientId}` },
      servicedDate: '2027-06-01',
      created: '2026-12-07T09:00:00Z',
      insurer: { display: 'Medicare Part B' },
      provider: { reference: `Practitioner/${providerId}` },
      insurance: [{ focal: true, coverage: { reference: `Coverage/${coverages[0]}` } }],
      item: ['99213', '93000'].map((code) => ({ productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code }] } })),
      extension: [
        {
          url: 'https://carebridge.dev/fhir/StructureDefinition/telehealth-visit',
          valueString: JSON.stringify({ modality: 'video', patientLocation: { state: 'CA', setting: 'home' }, provider: { licences: [{ state: 'CA', expiresOn: '2030-12-31' }] }, asOf: '2026-12-07' }),
        },
      ],
    };
    // The request is a valid R4 resource as a FHIR client would build it.
    fhir.validator.validate(eligibilityRequest);

    const statement = await fhir.capabilityStatement(fhir.client());
    const answer = await fhir.create(provider, eligibilityRequest);
    expect(answer).toMatchObject({ resourceType: 'CoverageEligibilityResponse', insurance: [{ coverage: { reference: `Coverage/${coverages[0]}` } }] });
    // Sent again without a key: the same determination (the derived key), not a second one.
    expect((await fhir.create(provider, eligibilityRequest)).id).toBe(answer.id);
    const forPayer = await fhir.create(payer, eligibilityRequest, { 'If-None-Exist': `patient=Patient/${patientId}` });
    expect(forPayer).toMatchObject({ resourceType: 'CoverageEligibilityResponse', disposition: 'not-covered' });
    expect(JSON.stringify(forPayer)).not.toMatch(/telehealth services list/);

    const paged = await fhir.searchAll(provider, 'Coverage', { patient: `Patient/${patientId}` }, 1);
    expect(paged.pages).toBe(2);
    expect(paged.resources.map((c) => c.id).sort()).toEqual([...coverages].sort());
    expect((await fhir.search(payer, 'Coverage', { patient: patientId })).total).toBe(2);

    await fhir.expectOutcome(() => provider.createResource({ ...eligibilityRequest, servicedDate: 'soon' } as never), 400, 'invalid');
    await fhir.expectOutcome(() => provider.createResource({ ...eligibilityRequest, extension: [] } as never), 400, 'invalid');
    await fhir.expectOutcome(() => provider.search('Coverage', {}), 400, 'invalid');
    await fhir.expectOutcome(() => provider.search('Coverage', { patient: `Practitioner/${providerId}` }), 400, 'invalid');
    await fhir.expectOutcome(() => provider.search('Coverage', { patient: patientId, status: 'active' }, { headers: { Prefer: 'handling=strict' } }), 400, 'invalid');
    await fhir.expectOutcome(() => provider.search('Coverage', { patient: patientId }, { headers: { Accept: 'application/fhir+xml' } }), 406, 'not-supported');
    const stranger = fhir.client(await issuer.mint({ sub: 'stranger', role: 'patient', patientId: randomUUID() }));
    await fhir.expectOutcome(() => stranger.search('Coverage', { patient: patientId }), 404, 'not-found');
    await fhir.expectOutcome(() => fhir.client().search('Coverage', { patient: patientId }), 401, 'login');

    // The other base answers the same statement (its own URL).
    const plain = (await request(app.getHttpServer()).get('/fhir/metadata').expect(200)).body;
    expect({ ...plain, implementation: undefined }).toEqual({ ...statement, implementation: undefined });

    expect(fhir.compareWith(statement)).toEqual([]);
    console.log(`billing-eligibility FHIR: ${JSON.stringify({ validated: Object.fromEntries(fhir.validated), profiles: [...fhir.profilesChecked], requests: fhir.answers.length })}`);
  });
});
