import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { PostgresEventStore } from '@carebridge/event-store';
import { connectIntegrationEvents } from '@carebridge/messaging';
import { DevTokenIssuer, configureServiceApp, createLogger, postgresCheck } from '@carebridge/platform';
import { type TestSchema, createTestSchema } from '@carebridge/testing';
import { systemClock } from '../src/clock.port';
import { migrateMonitoring } from '../src/monitoring.migrate';
import { RPM_CLOSE_DAILY } from '../src/rpm/rpm-close.job';
import { MAX_BATCH_BODY, MonitoringModule, type MonitoringModuleOptions } from '../src/monitoring.module';
import type { NestExpressApplication } from '@nestjs/platform-express';

export interface MonitoringTestApp {
  readonly app: INestApplication;
  readonly db: TestSchema;
  readonly store: PostgresEventStore;
  readonly issuer: DevTokenIssuer;
  http(): ReturnType<typeof request>;
  /** Listens on a free port (for Server-Sent Events) and returns the base URL. */
  listen(): Promise<string>;
  patient(patientId?: string): Promise<{ patientId: string; token: string }>;
  provider(providerId?: string): Promise<{ providerId: string; token: string }>;
  ops(): Promise<string>;
  close(): Promise<void>;
}

/** The monitoring module on its own PostgreSQL schema, as the service wires it. */
export async function startMonitoringApp(options: Partial<Pick<MonitoringModuleOptions, 'messaging' | 'clock' | 'jobs' | 'rpmClose'>> = {}): Promise<MonitoringTestApp> {
  const db = await createTestSchema('monitoring');
  await migrateMonitoring(db.pool, db.schema);
  const issuer = await DevTokenIssuer.create();
  const moduleRef = await Test.createTestingModule({
    imports: [
      MonitoringModule.register({
        pool: db.pool,
        schema: db.schema,
        auth: issuer.authOptions(),
        checks: [postgresCheck(db.pool)],
        clock: systemClock,
        readingPartitionsConcurrently: 3,
        rpmClose: RPM_CLOSE_DAILY,
        onError: (error) => console.error('monitoring background error', error),
        ...options,
      }),
    ],
  }).compile();
  const app = configureServiceApp(moduleRef.createNestApplication<NestExpressApplication>(), { logger: createLogger({ service: 'monitoring', level: 'silent' }) });
  app.useBodyParser('json', { limit: MAX_BATCH_BODY });
  // As the service's prepare(app) and the runtime do: pharmacy fills through the integration events transport.
  if (options.messaging) connectIntegrationEvents(app);
  await app.init();
  await app.startAllMicroservices();
  return {
    app,
    db,
    store: new PostgresEventStore(db.pool, db.schema),
    issuer,
    http: () => request(app.getHttpServer()),
    async listen() {
      // Once per app: later calls return the same address.
      if (!app.getHttpServer().listening) await app.listen(0, '127.0.0.1');
      const address = app.getHttpServer().address() as AddressInfo;
      return `http://127.0.0.1:${address.port}`;
    },
    async patient(patientId = randomUUID()) {
      return { patientId, token: await issuer.mint({ sub: `user-${patientId}`, role: 'patient', patientId }) };
    },
    async provider(providerId = randomUUID()) {
      return { providerId, token: await issuer.mint({ sub: `user-${providerId}`, role: 'provider', providerId }) };
    },
    ops: () => issuer.mint({ sub: 'gateway-1', role: 'ops' }),
    async close() {
      await app.close();
      await db.dispose();
    },
  };
}

export interface EnrolledPatient {
  readonly patientId: string;
  readonly patientToken: string;
  readonly deviceId: string;
  readonly apiKey: string;
  readonly careTeam: readonly { providerId: string; token: string }[];
}

/** Enrols a consenting patient with a care team of two and a device assigned from `from`. */
export async function enrolPatient(
  t: MonitoringTestApp,
  options: { conditions?: string[]; escalateAfterSeconds?: number; from?: string; established?: boolean } = {},
): Promise<EnrolledPatient> {
  const patient = await t.patient();
  const first = await t.provider();
  const second = await t.provider();
  const auth = `Bearer ${first.token}`;
  await t
    .http()
    .post(`/v1/patients/${patient.patientId}/enrolment`)
    .set('authorization', auth)
    .set('idempotency-key', `enrol-${patient.patientId}`)
    .send({
      conditions: options.conditions ?? ['hypertension'],
      careTeam: [first.providerId, second.providerId],
      billingPractitionerId: first.providerId,
      established: options.established ?? true,
      escalateAfterSeconds: options.escalateAfterSeconds ?? 3_600,
    })
    .expect(201);
  await t.http().post(`/v1/patients/${patient.patientId}/consent`).set('authorization', `Bearer ${patient.token}`).expect(201);
  const device = await t
    .http()
    .post('/v1/devices')
    .set('authorization', auth)
    .set('idempotency-key', `device-${patient.patientId}`)
    .send({ serial: `SN-${patient.patientId.slice(0, 8)}`, kind: 'multi', manufacturer: 'Acme Health', model: 'RPM-1' })
    .expect(201);
  const assigned = await t
    .http()
    .post(`/v1/devices/${device.body.deviceId}/assignments`)
    .set('authorization', auth)
    .set('idempotency-key', `assign-${patient.patientId}`)
    .send({ patientId: patient.patientId, from: options.from ?? new Date(Date.now() - 200 * 86_400_000).toISOString() })
    .expect(201);
  return { patientId: patient.patientId, patientToken: patient.token, deviceId: device.body.deviceId, apiKey: assigned.body.apiKey, careTeam: [first, second] };
}

export const minutesAgo = (m: number): string => new Date(Date.now() - m * 60_000).toISOString();
export const daysAgo = (d: number, hour = 8): string => {
  const t = new Date(Date.now() - d * 86_400_000);
  t.setUTCHours(hour, 0, 0, 0);
  return t.toISOString();
};
