/**
 * The limit of the stack for bench:http: a bare `node:http` server answering the same reads as
 * the services, with the same JWT check (the platform's JwtVerifier, its verified-token cache
 * included), the same ownership rules and the same SQL (each service's own query classes, so the
 * statements cannot drift), serialised with JSON.stringify. No Nest, no Express, no middleware,
 * no logging, no metrics. Paths are the services' paths under their embedded-profile prefix
 * (`/scheduling/v1/...`). Prints `{ "listening": port }` when ready.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { PostgresEventStore } from '@carebridge/event-store';
import { type AuthenticatedActor, JwtVerifier, ProblemException } from '@carebridge/platform';
import { AppointmentsQuery } from '../../apps/scheduling/src/appointment/appointments.projection';
import { SlotSearchQuery } from '../../apps/scheduling/src/slot-search/slot-search.projection';
import { inZone } from '../../apps/scheduling/src/slot-search/search-query.schemas';
import { assertMayActFor } from '../../apps/scheduling/src/scheduling.http-support';
import { MonitoredPatients } from '../../apps/monitoring/src/enrolment/monitored-patients.projection';
import { Readings as MonitoringReadings } from '../../apps/monitoring/src/readings/readings.projection';
import { assertMaySee } from '../../apps/monitoring/src/monitoring.http-support';
import { PrescriptionAccess } from '../../apps/prescriptions/src/http/prescription.access';
import { eligibilityStreamId } from '../../apps/billing-eligibility/src/eligibility/eligibility.stream';
import { viewFor } from '../../apps/billing-eligibility/src/eligibility/eligibility-check.http';
import { assertMayReachPatient, payerIdOf } from '../../apps/billing-eligibility/src/patient.access';
import type { EligibilityDetermined } from '../../apps/billing-eligibility/src/eligibility/eligibility.events';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BARE_POOL_SIZE ?? 10) });
const verifier = new JwtVerifier({
  issuer: process.env.JWT_ISSUER!,
  audience: process.env.JWT_AUDIENCE!,
  jwks: JSON.parse(process.env.JWKS_JSON!),
});
const appointments = new AppointmentsQuery(pool, 'scheduling');
const slots = new SlotSearchQuery(pool, 'scheduling');
const monitoring = { patients: new MonitoredPatients(pool, 'monitoring'), readings: new MonitoringReadings(pool, 'monitoring') };
const prescriptions = new PrescriptionAccess(pool, 'prescriptions');
const eligibilityStore = new PostgresEventStore(pool, 'billing_eligibility');

type Handler = (actor: AuthenticatedActor, params: string[], query: URLSearchParams) => Promise<unknown>;

function withoutPhrases({ triage, ...row }: Awaited<ReturnType<AppointmentsQuery['byId']>> & object) {
  return { ...row, triage: triage === null ? null : { disposition: triage.disposition, rules: triage.rules, rulesVersion: triage.rulesVersion } };
}

const routes: [RegExp, Handler][] = [
  [
    /^\/scheduling\/v1\/appointments\/([0-9a-f-]{36})$/,
    async (actor, [id]) => {
      const row = await appointments.byId(id!);
      if (row === undefined) throw new ProblemException(404, 'APPOINTMENT.NOT_FOUND', 'not found');
      assertMayActFor(actor, { patientId: row.patientId, providerId: row.providerId, participantIds: row.additionalProviderIds });
      return withoutPhrases(row);
    },
  ],
  [
    /^\/scheduling\/v1\/appointments$/,
    async (actor, _params, query) => {
      const providerId = query.get('providerId') ?? actor.providerId ?? '';
      assertMayActFor(actor, { providerId });
      const rows = await appointments.list({ providerId, from: query.get('from')!, to: query.get('to')!, limit: Number(query.get('limit') ?? 50) });
      return { appointments: rows.map(withoutPhrases) };
    },
  ],
  [
    /^\/scheduling\/v1\/slots$/,
    async (_actor, _params, query) => {
      const timeZone = query.get('timeZone')!;
      const modality = query.get('modality') as 'video';
      const found = await slots.find({
        specialty: query.get('specialty')!,
        modality,
        patientState: query.get('patientState')!,
        from: query.get('from')!,
        to: query.get('to')!,
        timeZone,
        pageSize: Number(query.get('pageSize') ?? 20),
        now: new Date(),
      });
      const local = inZone(timeZone);
      return {
        timeZone,
        slots: found.slots.map((s) => ({ providerId: s.providerId, start: local(s.start), end: local(s.end), startUtc: s.start, modality })),
      };
    },
  ],
  [
    /^\/monitoring\/v1\/patients\/([0-9a-f-]{36})\/readings$/,
    async (actor, [patientId], query) => {
      assertMaySee(actor, await monitoring.patients.patient(patientId!), patientId!);
      const from = query.get('from');
      const to = query.get('to');
      return { readings: await monitoring.readings.readings(patientId!, { ...(from !== null && { from }), ...(to !== null && { to }) }) };
    },
  ],
  [
    /^\/prescriptions\/v1\/prescriptions$/,
    async (actor, _params, query) => {
      const list = await prescriptions.list(actor, { patientId: query.get('patientId') ?? undefined });
      return { items: list.map(({ state: _state, ...rest }) => rest) };
    },
  ],
  [
    /^\/billing-eligibility\/v1\/patients\/([0-9a-f-]{36})\/eligibility-determinations$/,
    async (actor, [patientId]) => {
      assertMayReachPatient(actor, patientId!);
      const events = await eligibilityStore.readStream(eligibilityStreamId(patientId!));
      const payer = payerIdOf(actor);
      const determinations = events
        .filter((e) => e.type === 'EligibilityDetermined')
        .map((e) => ({ ...(e.data as EligibilityDetermined['data']), recordedAt: e.metadata.occurredAt }))
        .filter((d) => payer === undefined || d.determination.coverage?.payerId === payer);
      return { patientId, determinations: determinations.map((d) => viewFor(actor, d)) };
    },
  ],
];

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://bare');
  for (const [pattern, handler] of routes) {
    const match = pattern.exec(url.pathname);
    if (!match || req.method !== 'GET') continue;
    try {
      const actor = await verifier.verify(req.headers.authorization);
      send(res, 200, await handler(actor, match.slice(1), url.searchParams));
    } catch (error) {
      const status = error instanceof ProblemException ? error.getStatus() : ((error as { status?: number }).status ?? 500);
      send(res, typeof status === 'number' && status >= 400 ? status : 500, { title: String((error as Error).message) }, 'application/problem+json');
    }
    return;
  }
  send(res, 404, { title: 'Not found' }, 'application/problem+json');
}

const server = createServer((req, res) => void answer(req, res));
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ listening: (server.address() as { port: number }).port })}\n`);
});
const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
