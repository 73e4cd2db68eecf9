import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { eventually } from '@carebridge/testing';
import { spawnPlatform, type SpawnedPlatform } from '../testing/spawn-platform';

// Issue 18: in the embedded profile (tracing off) messages carried no traceparent, and every
// message named itself as its cause. Here `npm start` as a user runs it, read on its in-process bus.
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
let dataDir: string;
let platform: SpawnedPlatform;
let bus: Pool;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'carebridge-trace-'));
  platform = await spawnPlatform(dataDir, ['--no-seed']);
  const { databaseUrl } = JSON.parse(readFileSync(path.join(dataDir, 'dev-tokens.json'), 'utf8')) as { databaseUrl: string };
  bus = new Pool({ connectionString: databaseUrl, max: 1 });
});
afterAll(async () => {
  await bus?.end();
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type OnBus = { topic: string; headers: Record<string, string>; event: { id: string; type: string; causationid?: string; traceparent?: string; subject?: string } };

async function onBus(topics: string[]): Promise<OnBus[]> {
  const { rows } = await bus.query<{ topic: string; headers: Record<string, string>; value: Buffer }>(
    'SELECT topic, headers, value FROM carebridge_bus.messages WHERE topic = ANY($1) ORDER BY ts, "offset"',
    [topics],
  );
  return rows.map((r) => ({
    topic: r.topic,
    headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])),
    event: JSON.parse(r.value.toString('utf8')) as OnBus['event'],
  }));
}

/** Registers a provider with open hours and books their first slot tomorrow-but-one; returns the appointment id. */
async function book(traceparent?: string): Promise<string> {
  const providerId = randomUUID();
  const provider = await platform.token('provider', providerId);
  const patient = await platform.token('patient', randomUUID());
  const send = (url: string, token: string, body: unknown, method: string, trace?: string) =>
    fetch(`${platform.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...(trace !== undefined && { traceparent: trace }) },
      body: JSON.stringify(body),
    });
  expect((await send('/scheduling/v1/providers', provider, { providerId, specialties: ['family-medicine'], licensedStates: ['CA'], timeZone: 'UTC', modalities: ['video'] }, 'POST')).status).toBe(201);
  const weekly = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:30' }));
  expect((await send(`/scheduling/v1/providers/${providerId}/availability`, provider, { weekly, slotMinutes: 30, bufferMinutes: 0 }, 'PUT')).status).toBe(200);
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const slots = (await (
    await fetch(`${platform.url}/scheduling/v1/slots?specialty=family-medicine&patientState=CA&modality=video&from=${day}&to=${day}&timeZone=UTC`, { headers: { authorization: `Bearer ${patient}` } })
  ).json()) as { slots: { providerId: string; startUtc: string }[] };
  const slot = slots.slots.find((s) => s.providerId === providerId)!;
  const booking = { providerId, slotStart: slot.startUtc, modality: 'video', reason: 'Follow-up of a rash', patientState: 'CA', intake: { symptoms: ['skin-rash'], description: 'itchy' } };
  const booked = await send('/scheduling/v1/appointments', patient, booking, 'POST', traceparent);
  expect(booked.status).toBe(201);
  return ((await booked.json()) as { appointmentId: string }).appointmentId;
}

/** The AppointmentBooked message of the appointment and the VisitOpened message it caused. */
function bookedAndOpened(appointmentId: string) {
  return eventually(
    async () => {
      const messages = await onBus(['carebridge.scheduling.appointment.v1', 'carebridge.visits.visit.v1']);
      const b = messages.find((m) => m.event.type === 'carebridge.scheduling.AppointmentBooked.v1' && m.event.subject === appointmentId);
      const o = b && messages.find((m) => m.event.type === 'carebridge.visits.VisitOpened.v1' && m.event.causationid === b.event.id);
      return b && o ? ([b, o] as const) : undefined;
    },
    { timeoutMs: 30_000, what: `AppointmentBooked for ${appointmentId} and the VisitOpened it caused` },
  );
}

describe('trace context and causation on the embedded bus', () => {
  it("carries the caller's traceparent from the booking to the visit it opens, each message naming its cause", async () => {
    const messages = await bookedAndOpened(await book(`00-${TRACE_ID}-00f067aa0ba902b7-01`));
    for (const m of messages) {
      expect(m.event.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-[0-9a-f]{2}$`));
      expect(m.headers.traceparent).toBe(m.event.traceparent);
      expect(m.event.causationid).toBeDefined();
      expect(m.event.causationid).not.toBe(m.event.id);
      expect([m.headers.ce_id, m.headers.ce_type, m.headers.ce_specversion]).toEqual([m.event.id, m.event.type, '1.0']);
    }
  });

  it('starts a trace for a request that brought none, and the visit it opens continues it', async () => {
    const [booked, opened] = await bookedAndOpened(await book());
    const traceId = /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(booked.event.traceparent ?? '')?.[1];
    expect(traceId).toBeDefined();
    expect(traceId).not.toBe(TRACE_ID);
    expect(opened.event.traceparent).toContain(traceId!);
  });
});
