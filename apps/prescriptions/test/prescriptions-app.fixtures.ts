import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import type { Kafka } from 'kafkajs';
import request from 'supertest';
import { configureServiceApp, createLogger, DevTokenIssuer, postgresCheck } from '@carebridge/platform';
import { createTestSchema, type TestSchema } from '@carebridge/testing';
import { AccessRecorder, type AccessRecordedData } from '@carebridge/access-audit';
import { PrescriptionIntended } from '@carebridge/contracts';
import { PostgresEventStore, quoteIdent } from '@carebridge/event-store';
import { connectIntegrationEvents, IntegrationEventContext } from '@carebridge/messaging';
import type { ReadModels } from '../src/http/read-models.projection';
import { READ_MODELS } from '../src/http/prescriptions.tokens';
import { VisitIntentsConsumer } from '../src/integration/visits.consumer';
import { prescriptionStreamId } from '../src/prescription/prescription.stream';
import { migratePrescriptions } from '../src/prescriptions.migrations';
import { PrescriptionsModule } from '../src/prescriptions.module';

/** The service on its own PostgreSQL schema, with a development token issuer. */
export interface TestService {
  readonly app: NestExpressApplication;
  readonly db: TestSchema;
  readonly tokens: DevTokenIssuer;
  close(): Promise<void>;
}

export async function startService(options: { kafka?: Kafka } = {}): Promise<TestService> {
  const db = await createTestSchema('prescriptions');
  await migratePrescriptions(db.pool, db.schema);
  const tokens = await DevTokenIssuer.create();
  const logger = createLogger({ service: 'prescriptions', level: 'silent' });
  const moduleRef = await Test.createTestingModule({
    imports: [
      PrescriptionsModule.register({
        pool: db.pool,
        schema: db.schema,
        auth: tokens.authOptions(),
        logger,
        checks: [postgresCheck(db.pool)],
        keys: { verificationKeyPems: [] },
        // A consumer group of this schema: runs before and beside it on the shared broker read their own.
        ...(options.kafka && { messaging: { kafka: options.kafka, groupId: `prescriptions-${db.schema}` } }),
      }),
    ],
  }).compile();
  const app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), { logger });
  // As the service's prepare(app) and the runtime do: pharmacy answers and visits' intents through the transport.
  if (options.kafka) connectIntegrationEvents(app);
  await app.init();
  await app.startAllMicroservices();
  return {
    app,
    db,
    tokens,
    async close() {
      await app.close();
      await db.dispose();
    },
  };
}

/** People and organisations of one test: ids are fresh, tokens carry them. */
export async function cast(tokens: DevTokenIssuer) {
  const provider = randomUUID();
  const otherProvider = randomUUID();
  const patient = randomUUID();
  const otherPatient = randomUUID();
  const pharmacy = randomUUID();
  const otherPharmacy = randomUUID();
  return {
    ids: { provider, otherProvider, patient, otherPatient, pharmacy, otherPharmacy },
    provider: await tokens.mint({ sub: provider, role: 'provider', providerId: provider }),
    otherProvider: await tokens.mint({ sub: otherProvider, role: 'provider', providerId: otherProvider }),
    patient: await tokens.mint({ sub: patient, role: 'patient', patientId: patient }),
    otherPatient: await tokens.mint({ sub: otherPatient, role: 'patient', patientId: otherPatient }),
    pharmacy: await tokens.mint({ sub: randomUUID(), role: 'pharmacy', pharmacyId: pharmacy }),
    otherPharmacy: await tokens.mint({ sub: randomUUID(), role: 'pharmacy', pharmacyId: otherPharmacy }),
    ops: await tokens.mint({ sub: randomUUID(), role: 'ops' }),
  };
}

export type Cast = Awaited<ReturnType<typeof cast>>;

/** A 7-digit NCPDP id unlikely to collide between test runs on a shared topic. */
export const randomNcpdpId = (): string => String(1_000_000 + Math.floor(Math.random() * 8_999_999));

export function client(app: NestExpressApplication) {
  const http = request(app.getHttpServer());
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  return {
    post: (path: string, token: string, body: unknown = {}, key: string | null = randomUUID()) =>
      http.post(path).set({ ...auth(token), ...(key && { 'idempotency-key': key }) }).send(body as object),
    put: (path: string, token: string, body: unknown, key: string = randomUUID()) =>
      http.put(path).set({ ...auth(token), 'idempotency-key': key }).send(body as object),
    get: (path: string, token: string) => http.get(path).set(auth(token)),
  };
}

export const CMS_EXAMPLE_NPI = '1234567893';
export const VALID_DEA = 'AB1234563';

export function amoxicillinDraft(patientId: string, prescriptionId = randomUUID()) {
  return {
    prescriptionId,
    patientId,
    prescriber: { npi: CMS_EXAMPLE_NPI },
    medication: {
      rxnormCode: '308191',
      name: 'amoxicillin 500 MG Oral Capsule',
      strength: '500 mg',
      doseForm: 'capsule',
      ingredientRxcuis: ['723'],
    },
    sig: 'Take 1 capsule by mouth three times daily for 10 days',
    quantity: { value: 30, unit: 'capsule' },
    daysSupply: 10,
    refills: 1,
    substitutionAllowed: true,
    encounter: { modality: 'audio-video' },
  };
}

export function oxycodoneDraft(patientId: string, prescriptionId = randomUUID()) {
  return {
    ...amoxicillinDraft(patientId, prescriptionId),
    prescriber: { npi: CMS_EXAMPLE_NPI, deaNumber: VALID_DEA },
    medication: {
      rxnormCode: '1049621',
      name: 'oxycodone hydrochloride 5 MG Oral Tablet',
      strength: '5 mg',
      doseForm: 'tablet',
      ingredientRxcuis: ['7804'],
      deaSchedule: 'II',
    },
    sig: 'Take 1 tablet by mouth every 6 hours as needed for pain',
    quantity: { value: 12, unit: 'tablet' },
    daysSupply: 3,
    refills: 0,
    // By video, the patient in Illinois: where the prescriber's DEA registration is.
    encounter: { modality: 'audio-video', patientLocationState: 'IL' },
  };
}

export function pharmacyListing(pharmacyId: string, ncpdpId: string) {
  return {
    pharmacyId,
    ncpdpId,
    npi: '1234567893',
    name: `Corner Pharmacy ${ncpdpId}`,
    address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701' },
    hours: { '1': { opens: '09:00', closes: '18:00' } },
    acceptsEPrescribing: true,
    phone: '217-555-0199',
    scriptVersions: ['2017071', '2023011'],
  };
}

/** A DEA number with a valid check digit for a second prescriber (an approving registrant). */
export const APPROVER_DEA = 'BC2345672';

/**
 * Gives the cast's provider a complete EPCS credential (21 CFR 1311): identity proofed at IAL2,
 * DEA registration VALID_DEA for II-V for a year, access approved by ops and by the other
 * provider as a DEA registrant.
 */
export async function grantEpcs(http: ReturnType<typeof client>, who: Cast): Promise<void> {
  const expiresOn = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const base = `/v1/prescribers/${who.ids.provider}`;
  const steps = [
    await http.put(`${base}/identity-proofing`, who.ops, {
      credentialServiceProvider: 'Example CSP',
      assuranceLevel: 'IAL2',
      proofedOn: new Date().toISOString().slice(0, 10),
      reference: 'csp-proof-1',
    }),
    await http.put(`${base}/dea-registrations/${VALID_DEA}`, who.ops, { schedules: ['II', 'III', 'IV', 'V'], state: 'IL', expiresOn }),
    await http.put(`/v1/prescribers/${who.ids.otherProvider}/dea-registrations/${APPROVER_DEA}`, who.ops, { schedules: ['II', 'III', 'IV', 'V'], state: 'IL', expiresOn }),
    await http.post(`${base}/epcs-access/approvals`, who.ops),
    await http.post(`${base}/epcs-access/approvals`, who.otherProvider),
  ];
  const failed = steps.filter((res) => res.status >= 300);
  if (failed.length > 0) throw new Error(`EPCS credential set-up failed: ${failed.map((res) => JSON.stringify(res.body)).join('; ')}`);
}

/**
 * Gives a provider a care relationship with a patient the way production does: a visit's
 * prescription intent (visits' PrescriptionIntended) handled by the visits consumer, which drafts
 * the prescription from the visit with the provider as prescriber of record. Returns the draft's id.
 */
export async function relate(service: TestService, providerId: string, patientId: string): Promise<string> {
  const store = new PostgresEventStore(service.db.pool, service.db.schema);
  const intentId = randomUUID();
  const event = {
    id: randomUUID(),
    source: 'visits',
    type: PrescriptionIntended.type,
    specversion: '1.0',
    time: new Date().toISOString(),
    correlationid: randomUUID(),
    data: {
      intentId,
      visitId: randomUUID(),
      patientId,
      prescriberId: providerId,
      rxnormCode: '197361',
      medicationName: 'amlodipine 5 MG Oral Tablet',
      quantity: { value: 30, unit: 'tablet' },
      daysSupply: 30,
      refills: 0,
      encounterModality: 'audio-video',
    },
    kafka: { topic: PrescriptionIntended.topic, partition: 0, offset: '0' },
  };
  await new VisitIntentsConsumer().prescriptionIntended(event as never, new IntegrationEventContext({ store, client: undefined as never, attempt: 1 }));
  const drafted = await store.readStream(prescriptionStreamId(intentId));
  await service.app.get<ReadModels>(READ_MODELS).waitFor(drafted.at(-1)!.globalPosition);
  return intentId;
}

/** The access events the service recorded (libs/access-audit), oldest first. */
export async function accessEvents(service: TestService): Promise<AccessRecordedData[]> {
  await service.app.get(AccessRecorder).flush();
  const { rows } = await service.db.pool.query<{ data: AccessRecordedData }>(
    `SELECT data FROM ${quoteIdent(service.db.schema)}.events WHERE event_type = 'AccessRecorded' ORDER BY global_position`,
  );
  return rows.map((r) => r.data);
}

/** What the prescriber's sign request says of the patient and the practice (the parties of the SCRIPT messages). */
export const SIGN_PARTIES = {
  patient: { lastName: 'Doe', firstName: 'Jane', gender: 'F', dateOfBirth: '1980-02-03', address: { line: ['12 Elm St'], city: 'Springfield', state: 'IL', postalCode: '62701' }, phone: '217-555-0100' },
  prescriber: { lastName: 'Smith', firstName: 'Ann', address: { line: ['1 Clinic Way'], city: 'Chicago', state: 'IL', postalCode: '60601' }, phone: '312-555-0101', fax: null },
} as const;
