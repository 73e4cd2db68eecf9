import { systemClock } from '../src/clock.port';
import { PostgresPatientContacts } from '../src/notifications/postgres-patient-contacts.adapter';
import { DEFAULT_SCHEDULING_POLICY } from '../src/scheduling.policy';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DateTime } from 'luxon';
import request from 'supertest';
import { PostgresEventStore } from '@carebridge/event-store';
import { connectIntegrationEvents } from '@carebridge/messaging';
import { DevTokenIssuer, FileBlobStore, configureServiceApp, createLogger, postgresCheck } from '@carebridge/platform';
import { type TestSchema, createTestSchema } from '@carebridge/testing';
import { SchedulingModule, type SchedulingModuleOptions } from '../src/scheduling.module';
import { migrateScheduling } from '../src/scheduling.migrate';

export interface SchedulingTestApp {
  readonly app: INestApplication;
  readonly db: TestSchema;
  readonly store: PostgresEventStore;
  readonly issuer: DevTokenIssuer;
  http(): ReturnType<typeof request>;
  patient(patientId?: string): Promise<{ patientId: string; token: string }>;
  provider(providerId?: string): Promise<{ providerId: string; token: string }>;
  ops(): Promise<string>;
  close(): Promise<void>;
}

/** The scheduling module on its own PostgreSQL schema, as the service wires it, not listening. */
export async function startSchedulingApp(
  options: Partial<Pick<SchedulingModuleOptions, 'messaging' | 'clock' | 'jobs' | 'policy'>> = {},
): Promise<SchedulingTestApp> {
  const db = await createTestSchema('scheduling');
  await migrateScheduling(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      SchedulingModule.register({
        pool: db.pool,
        schema: db.schema,
        auth: issuer.authOptions(),
        logger: createLogger({ service: 'scheduling', level: 'silent' }),
        checks: [postgresCheck(db.pool)],
        blobStore: new FileBlobStore(mkdtempSync(path.join(tmpdir(), 'scheduling-blobs-'))),
        contacts: new PostgresPatientContacts(db.pool, db.schema),
        clock: options.clock ?? systemClock,
        policy: options.policy ?? DEFAULT_SCHEDULING_POLICY,
        ...(options.messaging && { messaging: options.messaging }),
        ...(options.jobs && { jobs: options.jobs }),
      }),
    ],
  }).compile();
  const app = configureServiceApp(moduleRef.createNestApplication(), {
    logger: createLogger({ service: 'scheduling', level: 'silent' }),
  });
  // As the service's prepare(app) and the runtime do: the consumers through the integration events transport.
  if (options.messaging) connectIntegrationEvents(app);
  await app.init();
  await app.startAllMicroservices();
  return {
    app,
    db,
    store: new PostgresEventStore(db.pool, db.schema),
    issuer,
    http: () => request(app.getHttpServer()),
    async patient(patientId = randomUUID()) {
      return { patientId, token: await issuer.mint({ sub: `user-${patientId}`, role: 'patient', patientId }) };
    },
    async provider(providerId = randomUUID()) {
      return { providerId, token: await issuer.mint({ sub: `user-${providerId}`, role: 'provider', providerId }) };
    },
    ops: () => issuer.mint({ sub: 'scheduler-1', role: 'ops' }),
    async close() {
      await app.close();
      await db.dispose();
    },
  };
}

export const ZONE = 'America/New_York';

/** A local date `days` from today in the provider's zone. */
export const localDay = (days: number): string => DateTime.now().setZone(ZONE).plus({ days }).toISODate()!;

/** UTC ISO instant of a local wall-clock time in the provider's zone. */
export const localInstant = (date: string, time: string): string =>
  DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toUTC().toISO()!;

export const everyDay9to12 = {
  weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
  slotMinutes: 30,
  bufferMinutes: 0,
};

/** Registers a provider (video and in person, licensed in NY and NJ) with daily 09:00-12:00 availability. */
export async function registerProvider(t: SchedulingTestApp, overrides: Record<string, unknown> = {}) {
  const provider = await t.provider();
  const auth = `Bearer ${provider.token}`;
  await t
    .http()
    .post('/v1/providers')
    .set('authorization', auth)
    .set('idempotency-key', `register-${provider.providerId}`)
    .send({
      providerId: provider.providerId,
      specialties: ['dermatology'],
      licensedStates: ['NY', 'NJ'],
      timeZone: ZONE,
      modalities: ['video', 'in-person'],
      clinicAddress: { line1: '1 Main St', city: 'New York', state: 'NY', postalCode: '10001' },
      ...overrides,
    })
    .expect(201);
  await t.http().put(`/v1/providers/${provider.providerId}/availability`).set('authorization', auth).send(everyDay9to12).expect(200);
  return provider;
}

/** Books `slotStart` with the provider for `patient` (a 201 is expected): the appointment id. */
export async function bookAs(t: SchedulingTestApp, patient: { token: string }, providerId: string, slotStart: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await t
    .http()
    .post('/v1/appointments')
    .set('authorization', `Bearer ${patient.token}`)
    .set('idempotency-key', randomUUID())
    .send(bookingBody(providerId, slotStart, overrides))
    .expect(201);
  return response.body.appointmentId as string;
}

/** POSTs a booking body as `patient` (a new patient when none is given), whatever the answer: the response and who booked. */
export async function postBooking(t: SchedulingTestApp, body: Record<string, unknown>, patient?: { patientId: string; token: string }) {
  const who = patient ?? (await t.patient());
  const response = await t
    .http()
    .post('/v1/appointments')
    .set('authorization', `Bearer ${who.token}`)
    .set('idempotency-key', randomUUID())
    .send(body);
  return { response, patient: who };
}


export const bookingBody = (providerId: string, slotStart: string, overrides: Record<string, unknown> = {}) => ({
  providerId,
  slotStart,
  modality: 'video',
  patientState: 'NY',
  reason: 'itchy rash on forearm',
  intake: { symptoms: ['skin-rash'], description: 'Two weeks, spreading', questions: ['Is it contagious?'] },
  ...overrides,
});

/** Triage's answers recorded for a patient (each on the stream of the appointment that was not booked). */
export async function redirectionsOf(t: SchedulingTestApp, patientId: string) {
  const events = await t.store.readAll(0, 100_000);
  return events.filter(
    (e) => e.streamId.startsWith('appointment-') && (e.type === 'EmergencyRedirected' || e.type === 'InPersonRedirected') && (e.data as { patientId: string }).patientId === patientId,
  );
}
