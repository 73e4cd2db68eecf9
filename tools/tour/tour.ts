/**
 * npm run tour [-- --url http://127.0.0.1:3000] [--database-url postgres://...]
 *
 * A scripted end-to-end story against a RUNNING platform (`npm start`): a patient finds a slot,
 * is turned away by triage for a typed emergency, books a video visit with intake and a photo, eligibility answers the booking, a reminder fires, the patient
 * checks in, the provider admits, records vitals, prescribes; the pharmacy receives the NewRx and
 * fills it; an RPM cuff posts a crisis reading, an alert is raised and acknowledged; then the
 * patient's audit trail is printed from every service's event store and verified like
 * `npm run audit:verify`. Each step prints what it did and the answer it got; the first failing
 * step ends the tour with exit code 1. Cross-service steps wait for the event with a bounded poll.
 *
 * Every run is a new patient (fresh ids); providers and pharmacies are the seeded ones.
 * URL and database from the flags, else tmp/dev-tokens.json (written by `npm start`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { Pool } from 'pg';
import { scriptEventType } from '@carebridge/contracts';
import { PostgresEventStore, verifyAuditTrail } from '@carebridge/event-store';
import { SEED, type SeedPharmacy, type SeedProvider } from '../embedded/seed';
import { monitorDisplayPng } from './png';

const root = path.join(__dirname, '..', '..');
const WAIT_MS = 20_000;
const started = Date.now();

// ---------------------------------------------------------------------------------------------
// Output

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string) => (s: string) => (useColour ? `\x1b[${code}m${s}\x1b[0m` : s);
const green = paint('32');
const red = paint('31');
const dim = paint('2');
const bold = paint('1');

let stepNo = 0;
const print = (line = '') => process.stdout.write(`${line}\n`);
const detail = (line: string) => print(`      ${dim(line)}`);
const excerpt = (value: unknown, max = 220) => {
  const json = JSON.stringify(value);
  return json.length > max ? `${json.slice(0, max)}…` : json;
};
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

class TourFailure extends Error {}

/** One numbered step: prints its title, then ✓ and its result lines, or ✗ and the reason (and exits). */
async function step<T>(title: string, run: (note: (line: string) => void) => Promise<T>): Promise<T> {
  stepNo++;
  print(`${bold(String(stepNo).padStart(2))}. ${title}`);
  const t0 = Date.now();
  const notes: string[] = [];
  try {
    const result = await run((line) => notes.push(line));
    print(`    ${green('✓')} ${notes[0] ?? 'done'} ${dim(`(${Date.now() - t0} ms)`)}`);
    for (const line of notes.slice(1)) detail(line);
    return result;
  } catch (error) {
    for (const line of notes) detail(line);
    print(`    ${red('✗')} ${error instanceof Error ? error.message : String(error)}`);
    print();
    print(red(`Tour failed at step ${stepNo} (${title}) after ${seconds(Date.now() - started)}.`));
    process.exit(1);
  }
}

function skip(title: string, why: string): void {
  stepNo++;
  print(`${bold(String(stepNo).padStart(2))}. ${title}`);
  print(`    – skipped: ${why}`);
}

// ---------------------------------------------------------------------------------------------
// HTTP

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const devFile = path.resolve(process.env.CAREBRIDGE_TOKENS_FILE ?? path.join(root, 'tmp', 'dev-tokens.json'));
const dev = existsSync(devFile) ? (JSON.parse(readFileSync(devFile, 'utf8')) as { url?: string; databaseUrl?: string }) : {};
const baseUrl = (option('url') ?? process.env.CAREBRIDGE_URL ?? dev.url ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
// The file's database belongs to the platform that wrote it: another URL, another database.
const databaseUrl = option('database-url') ?? process.env.CAREBRIDGE_DATABASE_URL ?? (dev.url?.replace(/\/$/, '') === baseUrl ? dev.databaseUrl : undefined);

interface Answer<T = any> {
  readonly status: number;
  readonly body: T;
  readonly raw: Buffer;
  readonly headers: Headers;
}

interface CallOptions {
  readonly token?: string;
  readonly body?: unknown;
  readonly raw?: { bytes: Buffer; contentType: string };
  readonly key?: string;
  readonly headers?: Record<string, string>;
  /** Statuses that count as success (default: any 2xx). */
  readonly expect?: readonly number[];
}

async function call<T = any>(method: string, route: string, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.key) headers['idempotency-key'] = options.key;
  let body: Uint8Array | string | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.contentType;
    body = new Uint8Array(options.raw.bytes);
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${route}`, { method, headers, ...(body !== undefined && { body }), signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new TourFailure(`${method} ${route}: no answer (${(error as Error).cause ?? (error as Error).message})${await databaseHealth()}`);
  }
  const raw = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  const parsed = type.includes('json') && raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as T) : (raw.toString('utf8') as unknown as T);
  const ok = options.expect ? options.expect.includes(response.status) : response.status >= 200 && response.status < 300;
  if (!ok) {
    throw new TourFailure(`${method} ${route} answered ${response.status}: ${excerpt(parsed, 600)}`);
  }
  return { status: response.status, body: parsed, raw, headers: response.headers };
}

/** When a request gets no answer: is it the platform's database? (its readiness check says) */
async function databaseHealth(): Promise<string> {
  try {
    const ready = await fetch(`${baseUrl}/scheduling/health/ready`, { signal: AbortSignal.timeout(5_000) });
    const body = (await ready.json()) as { checks?: { postgres?: { status: string; error?: string } } };
    const pg = body.checks?.postgres;
    return pg && pg.status !== 'up' ? `; the platform's database does not answer either (scheduling /health/ready: postgres ${pg.status}, ${pg.error ?? ''})` : '';
  } catch {
    return '; the platform does not answer /scheduling/health/ready either';
  }
}

const tokenCache = new Map<string, string>();
async function token(role: 'patient' | 'provider' | 'pharmacy' | 'payer' | 'ops', sub: string, extra = ''): Promise<string> {
  const cacheKey = `${role}:${sub}:${extra}`;
  const cached = tokenCache.get(cacheKey);
  if (cached) return cached;
  const answer = await call<{ token: string }>('GET', `/dev/token?role=${role}&sub=${encodeURIComponent(sub)}${extra}`);
  tokenCache.set(cacheKey, answer.body.token);
  return answer.body.token;
}

/** Polls `probe` until it returns a value (bounded); the failure names what was awaited. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = WAIT_MS): Promise<{ value: T; waitedMs: number }> {
  const t0 = Date.now();
  let lastError: unknown;
  let announced = false;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return { value, waitedMs: Date.now() - t0 };
    } catch (error) {
      lastError = error;
    }
    if (!announced && Date.now() - t0 > 2_000) {
      announced = true;
      detail(`… waiting (at most ${seconds(timeoutMs)}) for ${what}`);
    }
    if (Date.now() - t0 > timeoutMs) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new TourFailure(`waited ${seconds(timeoutMs)} for ${what}: it did not happen${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// ---------------------------------------------------------------------------------------------
// The event stores (read-only): what the services recorded

let pool: Pool | undefined;
function database(): Pool {
  if (!databaseUrl) {
    throw new TourFailure(`no database URL for ${baseUrl}: pass --database-url (npm start prints it and writes it to ${path.relative(process.cwd(), devFile)})`);
  }
  pool ??= new Pool({ connectionString: databaseUrl, max: 2 });
  return pool;
}

interface StoredEvent {
  schema: string;
  global_position: string;
  stream_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: { actor?: { id: string; role: string }; occurredAt?: string; purpose?: string };
  recorded_at: Date;
}

async function eventStoreSchemas(): Promise<string[]> {
  const { rows } = await database().query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = 'append_events' ORDER BY 1`,
  );
  return rows.map((r) => r.schema);
}

async function findEvent(schema: string, type: string, field: string, value: string): Promise<StoredEvent | undefined> {
  const { rows } = await database().query<StoredEvent>(
    `SELECT $1::text AS schema, global_position, stream_id, event_type, data, metadata, recorded_at
       FROM "${schema}".events WHERE event_type = $2 AND data->>$3 = $4 ORDER BY global_position LIMIT 1`,
    [schema, type, field, value],
  );
  return rows[0];
}

// ---------------------------------------------------------------------------------------------
// The story

const STATE_ZONES: Record<string, string> = { NY: 'America/New_York', TX: 'America/Chicago', CO: 'America/Denver', HI: 'Pacific/Honolulu' };
const short = (id: string) => id.slice(0, 8);

interface Plan {
  provider: SeedProvider;
  patientState: string;
  patientZone: string;
  pharmacy: SeedPharmacy;
}

/** Seeded family-medicine video providers whose 15-minute grid can hold the tour's hour today, each with a patient state and a pharmacy there. */
function candidates(): Plan[] {
  return SEED.providers.flatMap((provider) => {
    if (!provider.specialties.includes('family-medicine') || !provider.modalities.includes('video') || provider.slotMinutes !== 15) return [];
    const patientState = provider.licensedStates.find((s) => STATE_ZONES[s] && SEED.pharmacies.some((p) => p.address.state === s));
    if (!patientState) return [];
    return [{ provider, patientState, patientZone: STATE_ZONES[patientState]!, pharmacy: SEED.pharmacies.find((p) => p.address.state === patientState)! }];
  });
}

type FreeSlot = { providerId: string; start: string; startUtc: string };
/** Free family-medicine video slots today and tomorrow (in the patient's zone) for a patient in `state`, all pages. */
async function freeSlots(bearer: string, state: string, zone: string): Promise<FreeSlot[]> {
  const today = DateTime.now().setZone(zone);
  const found: FreeSlot[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const query = new URLSearchParams({
      specialty: 'family-medicine',
      modality: 'video',
      patientState: state,
      from: today.toISODate()!,
      to: today.plus({ days: 1 }).toISODate()!,
      timeZone: zone,
      pageSize: '100',
      ...(pageToken && { pageToken }),
    });
    const page = await call<{ slots: FreeSlot[]; nextPageToken?: string }>('GET', `/scheduling/v1/slots?${query}`, { token: bearer });
    found.push(...page.body.slots);
    pageToken = page.body.nextPageToken;
  } while (pageToken && ++pages < 10);
  return found;
}

async function main(): Promise<void> {
  print(bold(`Carebridge guided tour — ${baseUrl}`));
  print(dim(`database ${databaseUrl ? databaseUrl.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@') : '(none)'}; every cross-service wait is bounded at ${seconds(WAIT_MS)}`));
  print();

  const patientId = randomUUID();
  const runKey = randomUUID().slice(0, 8);
  const key = (what: string) => `tour-${runKey}-${what}`;
  const ids: Record<string, string> = { patientId };

  // 1 -----------------------------------------------------------------------------------------
  const services = await step('The platform is up', async (note) => {
    const health = await call<{ services: { name: string; ready: string }[] }>('GET', '/health');
    const names = health.body.services.map((s) => s.name);
    for (const s of health.body.services) {
      const ready = await call('GET', s.ready, { expect: [200, 503] });
      if (ready.status !== 200) throw new TourFailure(`${s.name} is not ready: ${excerpt(ready.body)}`);
    }
    note(`${names.length} services ready: ${names.join(', ')}`);
    if (!names.includes('monitoring')) note('monitoring is not part of this platform: the RPM steps will be skipped');
    return new Set(names);
  });
  const patientToken = await token('patient', patientId);

  // 2 -----------------------------------------------------------------------------------------
  // The visit needs an hour of the provider's day: a reminder goes out 60 minutes before the
  // start (scheduling's REMINDER_MINUTES_BEFORE, default 1440,60). The provider opens extra video
  // hours starting at the next whole minute W: the slot at W+60 has its 60-minute reminder due at
  // W (seconds from now); the slot at W+15 is where the patient moves once reminded, so that
  // check-in (15 min before in scheduling, 30 in visits) is open by then.
  const plan = await step('A provider opens extra video hours this afternoon (scheduling)', async (note) => {
    const notes: string[] = [];
    for (const candidate of candidates()) {
      const { provider } = candidate;
      const now = DateTime.now().setZone(provider.timeZone);
      const opening = now.plus({ seconds: 8 }).startOf('minute').plus({ minutes: 1 });
      const closing = opening.plus({ minutes: 60 + provider.slotMinutes });
      if (closing.toISODate() !== opening.toISODate() || closing.hour === 0) {
        notes.push(`${provider.name}: ${opening.toFormat('HH:mm')} local is too close to midnight, next provider`);
        continue;
      }
      const providerToken = await token('provider', provider.providerId);
      const answer = await call('POST', `/scheduling/v1/providers/${provider.providerId}/availability/exceptions`, {
        token: providerToken,
        key: key(`extra-hours-${short(provider.providerId)}`),
        body: { date: opening.toISODate(), kind: 'extra-hours', start: opening.toFormat('HH:mm'), end: closing.toFormat('HH:mm') },
      });
      const visitSlot = opening.plus({ minutes: 60 }).toUTC().toISO()!;
      const earlySlot = opening.plus({ minutes: provider.slotMinutes }).toUTC().toISO()!;
      // An earlier run of the tour minutes ago may hold these times: then the next provider.
      const free = await freeSlots(providerToken, candidate.patientState, candidate.patientZone);
      if (!free.some((s) => s.startUtc === visitSlot) || !free.some((s) => s.startUtc === earlySlot)) {
        notes.push(`${provider.name}: ${opening.toFormat('HH:mm')} local is taken (an earlier tour?), next provider`);
        continue;
      }
      notes.unshift(`${provider.name} (${provider.timeZone}): extra hours ${opening.toFormat('yyyy-MM-dd HH:mm')}–${closing.toFormat('HH:mm')} local`);
      notes.forEach(note);
      note(`exceptions on record: ${answer.body.availability.exceptions.length}; slot length ${provider.slotMinutes} min`);
      return { ...candidate, providerToken, opening, visitSlot, earlySlot };
    }
    notes.forEach(note);
    throw new TourFailure('no seeded family-medicine provider can take a visit in the next hour (too close to local midnight, or taken by earlier tours: wait 15 minutes)');
  });
  const { provider, providerToken, patientState, patientZone, pharmacy } = plan;
  ids.providerId = provider.providerId;

  // 3 -----------------------------------------------------------------------------------------
  await step('The new patient records their Medicare Part B coverage and preferred pharmacy', async (note) => {
    const coverage = await call('POST', `/billing-eligibility/v1/patients/${patientId}/coverages`, {
      token: patientToken,
      key: key('coverage'),
      body: {
        payerKind: 'medicare-part-b',
        payerId: 'CMS-MEDICARE-B',
        planName: 'Original Medicare Part B',
        memberId: `${Math.floor(Math.random() * 9) + 1}TR${runKey.slice(0, 4).toUpperCase().replace(/[^A-Z0-9]/g, 'X')}MK${Math.floor(Math.random() * 90 + 10)}`,
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    });
    const preferred = await call('PUT', `/prescriptions/v1/patients/${patientId}/preferred-pharmacy`, {
      token: patientToken,
      key: key('preferred-pharmacy'),
      body: { ncpdpId: pharmacy.ncpdpId },
    });
    note(`patient ${short(patientId)}… in ${patientState}: ${coverage.body.coverage.planName}, member ${coverage.body.coverage.memberId}`);
    note(`preferred pharmacy ${excerpt(preferred.body.preferredPharmacy)}`);
  });

  // 4 -----------------------------------------------------------------------------------------
  const chosen = await step(`The patient searches family-medicine video slots for a patient in ${patientState}`, async (note) => {
    const found = await freeSlots(patientToken, patientState, patientZone);
    const mine = found.filter((s) => s.providerId === provider.providerId);
    const visit = mine.find((s) => s.startUtc === plan.visitSlot);
    const early = mine.find((s) => s.startUtc === plan.earlySlot);
    note(`${found.length} free slots today and tomorrow (${new Set(found.map((s) => s.providerId)).size} provider(s) licensed in ${patientState}); ${mine.length} with ${provider.name}`);
    note(`first: ${excerpt(found.slice(0, 2))}`);
    if (!visit || !early) throw new TourFailure(`the extra-hours slots ${plan.earlySlot} and ${plan.visitSlot} are not offered as free`);
    note(`picked ${visit.start} (an hour from now) — ${early.start} is free too`);
    return { visit, early };
  });

  // 5 -----------------------------------------------------------------------------------------
  await step('Triage reads what the patient writes: a heavy chest typed under "other" books nothing and says call 911 (scheduling)', async (note) => {
    const redirected = await call('POST', '/scheduling/v1/appointments', {
      token: patientToken,
      key: key('booking-emergency'),
      expect: [200],
      body: {
        providerId: provider.providerId,
        slotStart: chosen.visit.startUtc,
        modality: 'video',
        patientState,
        reason: 'not feeling right',
        intake: { symptoms: ['other'], description: 'feels like a heavy weight sitting on my chest since lunch' },
      },
    });
    const triage = redirected.body.triage as { disposition: string; redFlags: string[]; guidance: string; matches: { phrase: string }[] };
    if (redirected.body.booked !== false || triage.disposition !== 'emergency') throw new TourFailure(`expected an emergency answer, got ${excerpt(redirected.body)}`);
    note(`not booked: ${triage.disposition} (${triage.redFlags.join(', ')}) because of "${triage.matches[0]?.phrase}"`);
    note(triage.guidance);
  });

  const appointment = await step('The patient books a video visit with intake (scheduling, triage)', async (note) => {
    const booked = await call('POST', '/scheduling/v1/appointments', {
      token: patientToken,
      key: key('booking'),
      expect: [201],
      body: {
        providerId: provider.providerId,
        slotStart: chosen.visit.startUtc,
        modality: 'video',
        patientState,
        // What billing-eligibility needs to answer the booking by itself (AppointmentBooked).
        serviceCodes: ['99213'],
        visitPurpose: 'other',
        patientSetting: 'home',
        reason: 'High home blood pressure readings and morning headaches',
        intake: {
          symptoms: ['headache', 'chronic-condition-follow-up'],
          description: 'Home cuff has read around 150/95 for a week; dull morning headaches, no chest pain, no weakness.',
          questions: ['Should I start a medication?'],
        },
      },
    });
    note(`booked appointment ${booked.body.appointmentId}: ${excerpt(booked.body)}`);
    const read = booked.body.triage as { disposition: string; matches: { rule: string; status: string; phrase: string }[] };
    note(`triage: ${read.disposition}; read as not now: ${read.matches.map((m) => `"${m.phrase}" (${m.rule}, ${m.status})`).join(', ') || 'nothing'}`);
    return booked.body as { appointmentId: string; start: string; end: string };
  });
  ids.appointmentId = appointment.appointmentId;

  // 6 -----------------------------------------------------------------------------------------
  await step('The patient attaches a photo of their blood-pressure monitor (scheduling blob store)', async (note) => {
    const png = monitorDisplayPng('152/96');
    const sha256 = createHash('sha256').update(png).digest('hex');
    const uploaded = await call('POST', `/scheduling/v1/appointments/${appointment.appointmentId}/attachments`, {
      token: patientToken,
      raw: { bytes: png, contentType: 'image/png' },
    });
    if (uploaded.body.sha256 !== sha256 || uploaded.body.added !== true) throw new TourFailure(`unexpected answer ${excerpt(uploaded.body)}`);
    const back = await call('GET', `/scheduling/v1/appointments/${appointment.appointmentId}/attachments/${sha256}?purpose=treatment`, {
      token: providerToken,
    });
    if (!back.raw.equals(png)) throw new TourFailure('the provider read back different bytes');
    note(`PNG ${png.length} bytes stored as sha256 ${sha256.slice(0, 16)}…; the provider reads the same bytes back (read recorded)`);
  });

  // 7 -----------------------------------------------------------------------------------------
  await step('Eligibility answers the booking by itself: is this video visit covered, and why (scheduling → billing-eligibility → scheduling)', async (note) => {
    // No request: billing-eligibility consumed AppointmentBooked (codes, setting, licences) and answered.
    const answered = await waitFor('billing-eligibility to answer the booking (AppointmentBooked on the bus)', async () => {
      const list = await call('GET', `/billing-eligibility/v1/patients/${patientId}/eligibility-determinations`, { token: patientToken });
      return (list.body.determinations as { determinationId: string; request: { appointmentId?: string }; determination: any }[]).find(
        (d) => d.request.appointmentId === appointment.appointmentId,
      );
    });
    const d = answered.value.determination;
    note(`answered ${seconds(answered.waitedMs)} after the booking, unasked`);
    note(`${d.outcome} — coverage ${d.coverage ? `${d.coverage.payerKind} (${d.coverage.payerId ?? 'no payer id'})` : 'none in force'}; place of service ${d.placeOfService ?? '-'}, modifiers ${JSON.stringify(d.modifiers)}`);
    for (const reason of d.reasons ?? []) note(`why: [${reason.effect}] ${reason.code}: ${reason.message} (${reason.ruleId} v${reason.ruleVersion})`);
    if (d.outcome !== 'covered' && d.outcome !== 'covered-with-conditions') throw new TourFailure(`expected a covered visit, got ${d.outcome}`);
    ids.determinationId = answered.value.determinationId;
    const seen = await waitFor('scheduling to record the answer on the appointment (EligibilityDetermined on the bus)', async () => {
      const row = await call('GET', `/scheduling/v1/appointments/${appointment.appointmentId}`, { token: patientToken });
      return row.body.coverage ?? undefined;
    });
    note(`scheduling shows coverage ${excerpt(seen.value)} on the appointment after ${seconds(seen.waitedMs)} more (EligibilityDetermined → scheduling)`);
  });

  // 8 -----------------------------------------------------------------------------------------
  await step('A reminder fires, 60 minutes before the visit (scheduling jobs)', async (note) => {
    const due = Date.parse(appointment.start) - 60 * 60_000;
    note(`due at ${new Date(due).toISOString()} (in ${seconds(Math.max(0, due - Date.now()))}); waiting for AppointmentReminderSent in scheduling's event store`);
    const sent = await waitFor(
      'the 60-minute reminder job (AppointmentReminderSent)',
      () => findEvent('scheduling', 'AppointmentReminderSent', 'appointmentId', appointment.appointmentId),
      Math.max(0, due - Date.now()) + WAIT_MS,
    ).catch(async (error: Error) => {
      // Say where the job is (BullMQ's PostgreSQL backend keeps it in schema bullmq, embedded profile).
      const job = await database()
        .query<{ id: string; state: string; due: Date }>(
          `SELECT id, state::text AS state, to_timestamp(process_at_ms / 1000.0) AS due FROM bullmq.job WHERE id LIKE $1 ORDER BY added_at_ms`,
          [`reminder_${appointment.appointmentId}_%`],
        )
        .then((r) => r.rows.map((j) => `${j.id} ${j.state}, due ${j.due.toISOString()}`).join('; '))
        .catch(() => 'not visible (no bullmq schema: jobs on Redis?)');
      throw new TourFailure(`${error.message}; the reminder job: ${job || 'none was scheduled'}`);
    });
    const e = sent.value;
    note(`reminder recorded ${seconds(e.recorded_at.getTime() - due)} after it was due, by ${e.metadata.actor?.role}:${e.metadata.actor?.id}: ${excerpt(e.data)}`);
    note(`waited ${seconds(sent.waitedMs)}; no SMTP server or SMS API is configured here, so the log adapter wrote it instead of sending it`);
  });

  // 9 -----------------------------------------------------------------------------------------
  await step('Reminded, the patient moves the visit to the earlier free slot (scheduling → visits)', async (note) => {
    const opened = await waitFor('visits to open the visit of the booking (AppointmentBooked on the bus)', async () => {
      const answer = await call('GET', `/visits/v1/appointments/${appointment.appointmentId}/visit`, { token: patientToken, expect: [200, 404] });
      return answer.status === 200 ? (answer.body as { visitId: string; status: string }) : undefined;
    });
    ids.visitId = opened.value.visitId;
    note(`visit ${opened.value.visitId} ${opened.value.status} (opened by visits from AppointmentBooked, seen after ${seconds(opened.waitedMs)})`);
    const moved = await call('POST', `/scheduling/v1/appointments/${appointment.appointmentId}/reschedule`, {
      token: patientToken,
      key: key('reschedule'),
      body: { slotStart: chosen.early.startUtc, reasonCode: 'patient-request' },
    });
    note(`scheduling: ${excerpt({ start: moved.body.start, status: moved.body.status, reasonCode: moved.body.reasonCode })}`);
    const followed = await waitFor('visits to move the visit (AppointmentRescheduled → VisitRescheduled)', async () => {
      const { rows } = await database().query<{ data: { scheduledStart: string } }>(
        `SELECT data FROM visits.events WHERE stream_id = $1 AND event_type = 'VisitRescheduled' ORDER BY global_position DESC LIMIT 1`,
        [`visit-${opened.value.visitId}`],
      );
      return rows[0] && Date.parse(rows[0].data.scheduledStart) === Date.parse(chosen.early.startUtc) ? rows[0].data : undefined;
    });
    note(`visits: VisitRescheduled to ${followed.value.scheduledStart} after ${seconds(followed.waitedMs)}`);
  });
  const visitId = ids.visitId!;
  const visit = (suffix = '') => `/visits/v1/visits/${visitId}${suffix}`;

  // 10 ----------------------------------------------------------------------------------------
  await step('The patient checks in (scheduling front desk, then the visits waiting room with a device check)', async (note) => {
    const desk = await call('POST', `/scheduling/v1/appointments/${appointment.appointmentId}/check-in`, { token: patientToken, key: key('check-in') });
    note(`scheduling: appointment ${desk.body.status}, ${desk.body.minutesLate} min late`);
    const room = await call('POST', visit('/check-in'), {
      token: patientToken,
      body: { locationState: patientState, device: { camera: true, microphone: true, bandwidthKbps: 2400 } },
    });
    note(`visits: ${excerpt(room.body)}`);
  });

  // 11 ----------------------------------------------------------------------------------------
  await step('The provider sees the waiting room and admits the patient (licence checked again)', async (note) => {
    const room = await call('GET', '/visits/v1/waiting-room', { token: providerToken });
    const waiting = (room.body.patients as { visitId: string; waitingSeconds: number }[]).find((p) => p.visitId === visitId);
    if (!waiting) throw new TourFailure(`the patient is not in the waiting room: ${excerpt(room.body)}`);
    note(`waiting room: ${room.body.patients.length} patient(s), ours for ${waiting.waitingSeconds} s`);
    const admitted = await call('POST', visit('/admit'), { token: providerToken });
    note(`admitted: ${excerpt(admitted.body)}`);
  });

  // 12 ----------------------------------------------------------------------------------------
  await step('The provider records vitals, symptoms, a note and the diagnosis (visits)', async (note) => {
    const vitals = await call('POST', visit('/vitals'), {
      token: providerToken,
      key: key('vitals'),
      expect: [201],
      body: {
        measuredAt: new Date().toISOString(),
        bloodPressure: { systolic: 152, diastolic: 96, unit: 'mm[Hg]' },
        heartRate: { value: 78, unit: '/min' },
        weight: { value: 88.4, unit: 'kg' },
      },
    });
    note(`vitals ${vitals.body.vitalsId}: BP 152/96 mm[Hg], HR 78 /min, 88.4 kg`);
    await call('PUT', visit('/symptoms'), { token: providerToken, body: { symptoms: ['headache'], history: 'A week of home readings around 150/95.' } });
    await call('PUT', visit('/note'), {
      token: providerToken,
      body: {
        subjective: 'Morning headaches, home BP ~150/95 for a week.',
        objective: 'BP 152/96, HR 78 on video with home cuff.',
        assessment: 'Stage 2 hypertension, new.',
        plan: 'Start lisinopril 10 mg daily; remote BP monitoring; recheck in 4 weeks.',
      },
    });
    const dx = await call('POST', visit('/diagnoses'), { token: providerToken, body: { code: 'I10', display: 'Essential (primary) hypertension' } });
    note(`diagnoses ${excerpt(dx.body.diagnoses)}`);
  });

  // 13 ----------------------------------------------------------------------------------------
  const deviceId = randomUUID();
  ids.deviceId = deviceId;
  let deviceKey: string | undefined;
  if (services.has('monitoring')) {
    await step('The provider enrols the patient in remote monitoring and a cuff is assigned (monitoring)', async (note) => {
      await call('POST', `/monitoring/v1/patients/${patientId}/enrolment`, {
        token: providerToken,
        key: key('rpm-enrolment'),
        body: { conditions: ['hypertension'], careTeam: [provider.providerId], billingPractitionerId: provider.providerId, established: true, escalateAfterSeconds: 900 },
      });
      await call('POST', `/monitoring/v1/patients/${patientId}/consent`, { token: patientToken, key: key('rpm-consent') });
      await call('POST', '/monitoring/v1/devices', {
        token: providerToken,
        key: key('device'),
        body: { deviceId, serial: `BPM-TOUR-${runKey}`, kind: 'blood-pressure-monitor', manufacturer: 'Omron', model: 'BP7450' },
      });
      const assigned = await call('POST', `/monitoring/v1/devices/${deviceId}/assignments`, {
        token: providerToken,
        key: key('device-assignment'),
        body: { patientId, from: new Date(Date.now() - 60 * 60_000).toISOString() },
      });
      deviceKey = assigned.body.apiKey;
      if (!deviceKey) throw new TourFailure(`no device key in ${excerpt(assigned.body)}`);
      const plan = await call('GET', `/monitoring/v1/patients/${patientId}/care-plan`, { token: providerToken });
      note(`enrolled (hypertension), consented; cuff ${deviceId} assigned, its API key shown once`);
      note(`care-plan rules: ${(plan.body.rules as { ruleId: string }[]).map((r) => r.ruleId).join(', ')}`);
    });
  } else {
    skip('The provider enrols the patient in remote monitoring (monitoring)', 'the monitoring service is not part of this platform');
  }

  // 14 ----------------------------------------------------------------------------------------
  const rx = await step('The provider completes the visit with a prescription intent and an in-person follow-up (visits → scheduling)', async (note) => {
    const done = await call('POST', visit('/complete'), {
      token: providerToken,
      body: {
        disposition: 'in-person-follow-up',
        followUp: { reasonCode: 'blood-pressure-recheck', withinDays: 14 },
        prescriptions: [
          { rxnormCode: '314076', name: 'Lisinopril 10 MG Oral Tablet', sig: 'Take 1 tablet by mouth once daily', quantity: { value: 30, unit: 'tablet' }, daysSupply: 30, refills: 2 },
        ],
        instructions: 'Take lisinopril every morning; measure your blood pressure twice a day with the cuff; call 911 for chest pain, weakness or a severe headache.',
      },
    });
    note(`visit ${done.body.status}, ${done.body.disposition}; after-visit summary lists ${excerpt(done.body.prescriptions?.map((p: { name: string }) => p.name))}`);
    const followUpId: string | undefined = done.body.followUp?.followUpId;
    if (!followUpId) throw new TourFailure(`no follow-up in ${excerpt(done.body)}`);
    // FollowUpRequested: visits' relay -> bus -> scheduling's consumer -> a waitlist entry for an in-person visit.
    const entry = await waitFor(`scheduling's waitlist entry for follow-up ${followUpId}`, async () => {
      const found = await call('GET', `/scheduling/v1/waitlist/${followUpId}`, { token: patientToken, expect: [200, 404] });
      return found.status === 200 ? found.body : undefined;
    });
    note(`scheduling: in-person follow-up on the waiting list after ${(entry.waitedMs / 1000).toFixed(1)} s: ${excerpt(entry.value, 160)}`);
    const { rows } = await database().query<{ data: { intentId?: string } }>(
      `SELECT data FROM visits.events WHERE stream_id = $1 AND event_type = 'PrescriptionIntended'`,
      [`visit-${visitId}`],
    );
    const intentId = rows[0]?.data.intentId;
    if (!intentId) throw new TourFailure('no PrescriptionIntended on the visit\u2019s stream');
    note(`intent ${intentId} recorded on the visit's stream`);
    // PrescriptionIntended: visits' relay -> bus -> prescriptions' consumer drafts it for the prescriber.
    const draft = await waitFor(`the prescriptions service's draft from intent ${intentId}`, async () => {
      const found = await call('GET', `/prescriptions/v1/prescriptions/${intentId}`, { token: providerToken, expect: [200, 404] });
      return found.status === 200 ? found.body : undefined;
    });
    note(`prescriptions drafted it from the intent after ${(draft.waitedMs / 1000).toFixed(1)} s: ${excerpt(draft.value, 160)}`);
    return { prescriptionId: intentId };
  });
  ids.prescriptionId = rx.prescriptionId;

  // 15 ----------------------------------------------------------------------------------------
  await step('The provider completes the drafted NewRx, checks, signs and transmits it (prescriptions)', async (note) => {
    const drafted = await call('PUT', `/prescriptions/v1/prescriptions/${rx.prescriptionId}`, {
      token: providerToken,
      key: key('rx-revise'),
      expect: [200],
      body: {
        prescriber: { npi: provider.npi, deaNumber: null },
        medication: { rxnormCode: '314076', name: 'Lisinopril 10 MG Oral Tablet', strength: '10 mg', doseForm: 'tablet', ingredientRxcuis: ['29046'], deaSchedule: null },
        sig: 'Take 1 tablet by mouth once daily',
        quantity: { value: 30, unit: 'tablet' },
        daysSupply: 30,
        refills: 2,
        encounter: { modality: 'audio-video' },
      },
    });
    note(`draft ${drafted.body.prescriptionId}: ${drafted.body.status}`);
    const checked = await call('POST', `/prescriptions/v1/prescriptions/${rx.prescriptionId}/check`, { token: providerToken, key: key('rx-check') });
    note(`checks (allergies, duplicate therapy, interactions): ${checked.body.status}, ${checked.body.findings.length} finding(s) ${excerpt(checked.body.findings, 160)}`);
    const overrides = (checked.body.findings as { findingId: string; severity: string }[])
      .filter((f) => f.severity !== 'hard-stop')
      .map((f) => ({ findingId: f.findingId, reason: 'Reviewed with the patient during the visit' }));
    // The parties of the SCRIPT NewRx: the patient as the prescriber's chart has them (synthetic) and the practice.
    const clinic = provider.clinicAddress ?? { line1: '1 Telehealth Way', city: pharmacy.address.city, state: pharmacy.address.state, postalCode: pharmacy.address.postalCode };
    // Seeded names read "Dr. Amara Okafor (family medicine)".
    const [firstName = 'Provider', lastName = 'Provider'] = provider.name.replace(/^Dr\.\s*/, '').replace(/\s*\(.*\)$/, '').split(' ');
    const parties = {
      patient: { lastName: 'Tour', firstName: 'Patient', gender: 'U', dateOfBirth: '1970-01-01', address: null, phone: null },
      prescriber: { lastName, firstName, address: { line: [clinic.line1], city: clinic.city, state: clinic.state, postalCode: clinic.postalCode }, phone: '212-555-0100', fax: null },
    };
    const signed = await call('POST', `/prescriptions/v1/prescriptions/${rx.prescriptionId}/sign`, { token: providerToken, key: key('rx-sign'), body: { overrides, ...parties } });
    note(`signed and ${signed.body.status} to NCPDP ${signed.body.pharmacyNcpdpId} (${pharmacy.name}, the patient's preferred pharmacy)`);
  });

  // 16 ----------------------------------------------------------------------------------------
  const pharmacyToken = await token('pharmacy', pharmacy.pharmacyId, `&pharmacyId=${pharmacy.pharmacyId}`);
  await step(`The pharmacy's consumer receives the NewRx on the pharmacy topic (${pharmacy.name})`, async (note) => {
    const received = await waitFor(`the SCRIPT NewRx keyed ${pharmacy.ncpdpId} at the demo pharmacy (GET /dev/pharmacies/${pharmacy.ncpdpId}/messages)`, async () => {
      const inbox = await call('GET', `/dev/pharmacies/${pharmacy.ncpdpId}/messages`);
      return (inbox.body.messages as { type: string; subject?: string; xml: string; scriptVersion: string; offset: string; partition: number }[]).find(
        (m) => m.type === scriptEventType('NewRx') && m.subject === rx.prescriptionId,
      );
    });
    const m = received.value;
    note(`received after ${seconds(received.waitedMs)}: ${m.type}, SCRIPT ${m.scriptVersion} XML (partition ${m.partition}, offset ${m.offset})`);
    note(`body: ${m.xml.slice(0, 240)}…`);
    const mine = await call('GET', '/prescriptions/v1/prescriptions', { token: pharmacyToken });
    const listed = (mine.body.items as { rx: { prescriptionId: string } }[]).some((v) => v.rx.prescriptionId === rx.prescriptionId);
    if (!listed) throw new TourFailure('the prescription is not in the pharmacy\u2019s list (GET /prescriptions/v1/prescriptions as the pharmacy)');
    const full = await call('GET', `/prescriptions/v1/prescriptions/${rx.prescriptionId}`, { token: pharmacyToken });
    note(`the pharmacy reads the sig from the API (read audited): "${full.body.rx.sig}", status ${full.body.status}`);
  });

  // 17 ----------------------------------------------------------------------------------------
  await step('The pharmacy fills it (NCPDP RxFill through the prescriptions REST API)', async (note) => {
    const filled = await call('POST', `/prescriptions/v1/prescriptions/${rx.prescriptionId}/pharmacy-messages`, {
      token: pharmacyToken,
      key: key('rx-fill'),
      expect: [202],
      body: { kind: 'RxFill', messageId: `fill-${runKey}`, fillStatus: 'dispensed', quantityDispensed: 30 },
    });
    note(`RxFill dispensed: prescription ${filled.body.status}`);
    const seen = await call('GET', `/prescriptions/v1/prescriptions/${rx.prescriptionId}`, { token: patientToken });
    note(`the patient sees it ${seen.body.status}`);
    if (services.has('monitoring')) {
      const fill = await waitFor('monitoring to record the fill (PrescriptionFillRecorded on the bus)', async () => {
        const adherence = await call('GET', `/monitoring/v1/patients/${patientId}/adherence`, { token: providerToken });
        return (adherence.body.activeFills as { prescriptionId: string }[]).find((f) => f.prescriptionId === rx.prescriptionId);
      });
      note(`monitoring's adherence view shows the fill after ${seconds(fill.waitedMs)}: ${excerpt(fill.value)}`);
    }
  });

  // 18-19 -------------------------------------------------------------------------------------
  if (services.has('monitoring') && deviceKey) {
    const alert = await step('At home, the cuff posts a crisis reading with its device key (monitoring)', async (note) => {
      const posted = await call('POST', `/monitoring/v1/devices/${deviceId}/readings`, {
        headers: { 'x-device-key': deviceKey! },
        body: { readings: [{ type: 'blood-pressure', measuredAt: new Date(Date.now() - 30_000).toISOString(), systolic: 184, diastolic: 112, unit: 'mmHg' }] },
      });
      note(`reading ${excerpt(posted.body.results[0])}`);
      const raised = await waitFor('an open alert for the patient (alerting reactor)', async () => {
        const alerts = await call('GET', `/monitoring/v1/patients/${patientId}/alerts?status=open`, { token: providerToken });
        return (alerts.body.alerts as { alertId: string; ruleId: string; status: string; level: number; assigneeId: string }[])[0];
      });
      note(`alert raised after ${seconds(raised.waitedMs)}: ${excerpt(raised.value, 300)}`);
      return raised.value;
    });
    ids.alertId = alert.alertId;
    await step('The provider acknowledges the alert (monitoring)', async (note) => {
      const acked = await call('POST', `/monitoring/v1/alerts/${alert.alertId}/acknowledge`, { token: providerToken, key: key('ack') });
      if (acked.body.status !== 'acknowledged') throw new TourFailure(`unexpected answer ${excerpt(acked.body)}`);
      note(`alert ${acked.body.status} by ${provider.name}: ${excerpt(acked.body, 260)}`);
    });
  } else {
    skip('A cuff posts a crisis reading; an alert is raised and acknowledged (monitoring)', 'the monitoring service is not part of this platform');
  }

  // 20 ----------------------------------------------------------------------------------------
  await step(`The patient's audit trail, from every service's event store (${databaseUrl ? 'PostgreSQL wire' : 'no database'})`, async (note) => {
    const schemas = await eventStoreSchemas();
    const needles = Object.values(ids).filter((v) => v !== provider.providerId);
    const trail: StoredEvent[] = [];
    for (const schema of schemas) {
      const { rows } = await database().query<StoredEvent>(
        `SELECT $1::text AS schema, global_position, stream_id, event_type, data, metadata, recorded_at
           FROM "${schema}".events
          WHERE stream_id LIKE ANY($2) OR data::text LIKE ANY($2)
          ORDER BY global_position`,
        [schema, needles.map((n) => `%${n}%`)],
      );
      trail.push(...rows);
    }
    trail.sort((a, b) => a.recorded_at.getTime() - b.recorded_at.getTime() || a.schema.localeCompare(b.schema) || Number(a.global_position) - Number(b.global_position));
    if (trail.length === 0) throw new TourFailure(`no events mention patient ${patientId}`);
    note(`${trail.length} events in ${new Set(trail.map((e) => e.schema)).size} services mention this patient, their appointment, visit, prescription, device or alert:`);
    for (const e of trail) {
      const who = e.metadata.actor;
      const actor = who ? `${who.role}:${who.id.replace(/([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '$1…')}` : '-';
      note(
        `${e.recorded_at.toISOString().slice(11, 23)}  ${e.schema.padEnd(19)} ${e.event_type.padEnd(28)} ${actor.padEnd(26)} ${dim(e.stream_id.length > 60 ? `${e.stream_id.slice(0, 57)}…` : e.stream_id)}`,
      );
    }
  });

  // 21 ----------------------------------------------------------------------------------------
  await step('The audit trail verifies: every stream\u2019s hash chain recomputed (npm run audit:verify)', async (note) => {
    let failed = false;
    for (const schema of await eventStoreSchemas()) {
      const client = await database().connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const report = await verifyAuditTrail(new PostgresEventStore(database(), schema).withClient(client));
        await client.query('COMMIT');
        if (report.ok) note(`${schema}: OK, ${report.eventsChecked} events in ${report.streamsChecked} streams`);
        else {
          failed = true;
          note(`${schema}: ${report.findings.length} problem(s): ${excerpt(report.findings.slice(0, 3))}`);
        }
      } finally {
        client.release();
      }
    }
    if (failed) throw new TourFailure('the audit trail does not verify');
  });

  print();
  print(green(bold(`Tour passed: ${stepNo} steps in ${seconds(Date.now() - started)}.`)) + dim(` patient ${patientId}, visit ${visitId}`));
}

main()
  .catch((error) => {
    print(red(`Tour failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    process.exitCode = 1;
  })
  .finally(() => void pool?.end().catch(() => undefined));
