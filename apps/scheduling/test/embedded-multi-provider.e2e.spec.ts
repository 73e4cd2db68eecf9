import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SpawnedPlatform, spawnPlatform } from '../../../libs/embedded/src/testing/spawn-platform';

// The multi-stream write (one transaction over several day streams) on the embedded profile:
// PGlite runs one transaction at a time, so a write that waited on other I/O inside it would hang.
let dataDir: string;
let platform: SpawnedPlatform;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'carebridge-embedded-scheduling-'));
  platform = await spawnPlatform(dataDir, ['--no-seed']);
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });

it('books, conflicts and cancels a multi-provider appointment on PGlite', async () => {
  const ops = await platform.token('ops', 'scheduler-1');
  const headers = { authorization: `Bearer ${ops}`, 'content-type': 'application/json' };
  const post = (url: string, body: unknown) =>
    fetch(`${platform.url}/scheduling${url}`, { method: 'POST', headers: { ...headers, 'idempotency-key': randomUUID() }, body: JSON.stringify(body) });
  const providers = [randomUUID(), randomUUID(), randomUUID()];
  for (const providerId of providers) {
    expect((await post('/v1/providers', { providerId, specialties: ['oncology'], licensedStates: ['CA'], timeZone: 'UTC', modalities: ['video'] })).status).toBe(201);
    const availability = await fetch(`${platform.url}/scheduling/v1/providers/${providerId}/availability`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '18:00' })), slotMinutes: 30, bufferMinutes: 0 }),
    });
    expect(availability.status).toBe(200);
  }
  const [lead, specialist, other] = providers as [string, string, string];
  const slotStart = `${new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)}T10:00:00.000Z`;
  const booking = (providerId: string, additionalProviderIds?: string[]) => ({
    providerId,
    slotStart,
    patientId: randomUUID(),
    modality: 'video',
    patientState: 'CA',
    reason: 'consult',
    intake: { symptoms: ['cough'] },
    ...(additionalProviderIds && { additionalProviderIds }),
  });
  // Two concurrent bookings sharing the specialist: one wins, nothing hangs.
  const results = await Promise.all([post('/v1/appointments', booking(lead, [specialist])), post('/v1/appointments', booking(other, [specialist]))]);
  const statuses = results.map((r) => r.status).sort();
  expect(statuses).toEqual([201, 409]);
  const winner = await json(results.find((r) => r.status === 201)!);
  const cancelled = await post(`/v1/appointments/${winner.body.appointmentId}/cancel`, { reasonCode: 'patient-request' });
  expect(cancelled.status).toBe(200);
  expect((await post('/v1/appointments', booking(specialist))).status).toBe(201);
});
