import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { PostgresEventStore, handle } from '@carebridge/event-store';
import { AppointmentBooked } from '@carebridge/contracts';
import { connectIntegrationEvents, type MessageBroker } from '@carebridge/messaging';
import { DevTokenIssuer, configureServiceApp, createLogger, postgresCheck } from '@carebridge/platform';
import { type TestSchema, createTestSchema } from '@carebridge/testing';
import { visitDecider } from '../src/visit/visit.decider';
import { visitIdForAppointment, visitStreamId } from '../src/visit/visit.stream';
import { migrateVisits } from '../src/visits.migrate';
import { VisitsModule, type VisitsModuleOptions } from '../src/visits.module';
import { DEFAULT_VISITS_POLICY, type VisitsPolicy } from '../src/visits.policy';

export const LIVEKIT = { apiKey: 'APItestkey', apiSecret: 'test-secret-for-livekit-tokens-0123456789' };

/** A clock the test moves by hand. */
export class TestClock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export interface VisitsTestApp {
  readonly app: INestApplication;
  readonly db: TestSchema;
  readonly store: PostgresEventStore;
  readonly clock: TestClock;
  readonly issuer: DevTokenIssuer;
  http(): ReturnType<typeof request>;
  patient(patientId?: string): Promise<{ patientId: string; auth: string }>;
  provider(providerId?: string): Promise<{ providerId: string; auth: string }>;
  ops(): Promise<string>;
  close(): Promise<void>;
}

/** The visits module on its own PostgreSQL schema, as the service wires it, not listening. */
export async function startVisitsApp(
  options: { kafka?: MessageBroker; consumer?: { groupId: string; appointmentTopic: string }; policy?: Partial<VisitsPolicy>; livekit?: VisitsModuleOptions['livekit'] } = {},
): Promise<VisitsTestApp> {
  const db = await createTestSchema('visits');
  await migrateVisits(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const clock = new TestClock();
  const logger = createLogger({ service: 'visits', level: 'silent' });
  const { kafka, consumer } = options;
  const moduleRef = await Test.createTestingModule({
    imports: [
      VisitsModule.register({
        pool: db.pool,
        schema: db.schema,
        auth: issuer.authOptions(),
        logger,
        checks: [postgresCheck(db.pool)],
        blobDir: mkdtempSync(path.join(tmpdir(), 'visits-blobs-')),
        livekit: options.livekit === undefined ? LIVEKIT : options.livekit,
        clock,
        policy: { ...DEFAULT_VISITS_POLICY, ...options.policy },
        // A consumer group and an appointment topic of this file: other runs on the shared broker read their own.
        ...(kafka && {
          messaging: {
            kafka,
            groupId: consumer?.groupId ?? `visits-${db.schema}`,
            ...(consumer && { topics: { [AppointmentBooked.topic]: consumer.appointmentTopic } }),
          },
        }),
      }),
    ],
  }).compile();
  const app = configureServiceApp(moduleRef.createNestApplication(), { logger });
  // As the service's prepare(app) and the runtime do: scheduling's events through the integration events transport.
  if (options.kafka) connectIntegrationEvents(app);
  await app.init();
  await app.startAllMicroservices();
  return {
    app,
    db,
    store: new PostgresEventStore(db.pool, db.schema),
    clock,
    issuer,
    http: () => request(app.getHttpServer()),
    async patient(patientId = randomUUID()) {
      return { patientId, auth: `Bearer ${await issuer.mint({ sub: `user-${patientId}`, role: 'patient', patientId })}` };
    },
    async provider(providerId = randomUUID()) {
      return { providerId, auth: `Bearer ${await issuer.mint({ sub: `user-${providerId}`, role: 'provider', providerId })}` };
    },
    ops: async () => `Bearer ${await issuer.mint({ sub: 'credentialing-1', role: 'ops' })}`,
    async close() {
      await app.close();
      await db.dispose();
    },
  };
}

export const nextYear = () => `${new Date().getUTCFullYear() + 1}-12-31`;

/** Registers the provider's licences (default: NY, valid until next year). */
export async function licence(t: VisitsTestApp, provider: { providerId: string; auth: string }, licences = [{ state: 'NY', number: 'NY-1001', expiresOn: nextYear() }]) {
  await t.http().put(`/v1/providers/${provider.providerId}/licences`).set('authorization', provider.auth).send({ licences }).expect(200);
}

/** A visit opened as the booking consumer opens it (for tests that are not about Kafka). */
export async function openScheduledVisit(t: VisitsTestApp, patientId: string, providerId: string, startsInMinutes = 10) {
  const appointmentId = randomUUID();
  const visitId = visitIdForAppointment(appointmentId);
  const start = new Date(t.clock.now().getTime() + startsInMinutes * 60_000);
  await handle(t.store, visitStreamId(visitId), visitDecider, {
    type: 'OpenVisit',
    data: {
      visitId,
      kind: 'scheduled',
      patientId,
      providerId,
      appointmentId,
      modality: 'video',
      patientState: 'NY',
      scheduledStart: start.toISOString(),
      scheduledEnd: new Date(start.getTime() + 30 * 60_000).toISOString(),
    },
    metadata: { now: t.clock.now(), actor: { id: 'scheduling', role: 'system' }, correlationId: randomUUID() },
  });
  return { visitId, appointmentId };
}

export const goodDevice = { camera: true, microphone: true, bandwidthKbps: 1500 };

/** Opened, checked in from NY and admitted by a provider licensed in NY. */
export async function visitInProgress(t: VisitsTestApp) {
  const patient = await t.patient();
  const provider = await t.provider();
  await licence(t, provider);
  const { visitId, appointmentId } = await openScheduledVisit(t, patient.patientId, provider.providerId);
  await t.http().post(`/v1/visits/${visitId}/check-in`).set('authorization', patient.auth).send({ locationState: 'NY', device: goodDevice }).expect(200);
  await t.http().post(`/v1/visits/${visitId}/admit`).set('authorization', provider.auth).expect(200);
  return { visitId, appointmentId, patient, provider };
}
