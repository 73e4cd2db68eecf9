import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { eventually } from '@carebridge/testing';
import { spawnPlatform, type SpawnedPlatform } from '../testing/spawn-platform';

// `npm start` (embedded profile) as a user runs it, with the servers' addresses at closed ports.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let dataDir: string;
let platform: SpawnedPlatform;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'carebridge-embedded-'));
  platform = await spawnPlatform(dataDir, ['--no-seed']);
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as any });

describe('embedded platform (npm start)', () => {
  it('serves every service under its prefix, ready without PostgreSQL, Kafka or Redis', async () => {
    const health = await json(await fetch(`${platform.url}/health`));
    expect(health.body.services.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['scheduling', 'billing-eligibility', 'prescriptions', 'visits', 'monitoring']),
    );
    for (const service of health.body.services as { name: string; ready: string }[]) {
      const ready = await json(await fetch(`${platform.url}${service.ready}`));
      expect({ service: service.name, status: ready.status, body: ready.body.status }).toEqual({ service: service.name, status: 200, body: 'ready' });
    }
    expect(platform.output.join('\n')).not.toMatch(/ECONNREFUSED|127\.0\.0\.1:9\b/);
  });

  it('carries a booking from scheduling to visits over the in-process bus', async () => {
    const providerId = randomUUID();
    const patientId = randomUUID();
    const provider = await platform.token('provider', providerId);
    const patient = await platform.token('patient', patientId);
    const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() });
    const registered = await fetch(`${platform.url}/scheduling/v1/providers`, {
      method: 'POST',
      headers: headers(provider),
      body: JSON.stringify({ providerId, specialties: ['family-medicine'], licensedStates: ['CA'], timeZone: 'UTC', modalities: ['video'] }),
    });
    expect(registered.status).toBe(201);
    const availability = await fetch(`${platform.url}/scheduling/v1/providers/${providerId}/availability`, {
      method: 'PUT',
      headers: headers(provider),
      body: JSON.stringify({ weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '23:30' })), slotMinutes: 30, bufferMinutes: 0 }),
    });
    expect(availability.status).toBe(200);
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const slots = await json(
      await fetch(`${platform.url}/scheduling/v1/slots?specialty=family-medicine&patientState=CA&modality=video&from=${day}&to=${day}&timeZone=UTC`, {
        headers: { authorization: `Bearer ${patient}` },
      }),
    );
    expect(slots.status).toBe(200);
    const slot = slots.body.slots.find((s: { providerId: string }) => s.providerId === providerId);
    expect(slot).toBeDefined();
    const booked = await json(
      await fetch(`${platform.url}/scheduling/v1/appointments`, {
        method: 'POST',
        headers: headers(patient),
        body: JSON.stringify({
          providerId,
          slotStart: slot.startUtc,
          modality: 'video',
          reason: 'Follow-up of a rash',
          patientState: 'CA',
          intake: { symptoms: ['skin-rash'], description: 'itchy for three days' },
        }),
      }),
    );
    expect(booked.status).toBe(201);
    const appointmentId: string = booked.body.appointmentId;
    expect(appointmentId).toBeDefined();
    // AppointmentBooked: scheduling's relay -> in-process bus -> visits' consumer opens the visit.
    const visit = await eventually(
      async () => {
        const found = await fetch(`${platform.url}/visits/v1/appointments/${appointmentId}/visit`, { headers: { authorization: `Bearer ${patient}` } });
        return found.status === 200 ? ((await found.json()) as { visitId: string; status: string }) : undefined;
      },
      { timeoutMs: 30_000, what: `a visit opened for appointment ${appointmentId}` },
    );
    expect(visit.status).toBe('scheduled');
  });

  it('keeps the data across a restart on the same folder', async () => {
    const providerId = randomUUID();
    const provider = await platform.token('provider', providerId);
    const created = await fetch(`${platform.url}/scheduling/v1/providers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${provider}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ providerId, specialties: ['dermatology'], licensedStates: ['NY'], timeZone: 'America/New_York', modalities: ['video'] }),
    });
    expect(created.status).toBe(201);
    expect(await platform.stop()).toBe(0);
    expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    platform = await spawnPlatform(dataDir, ['--no-seed']);
    const again = await fetch(`${platform.url}/scheduling/v1/providers/${providerId}`, {
      headers: { authorization: `Bearer ${await platform.token('provider', providerId)}` },
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { specialties: string[] }).specialties).toEqual(['dermatology']);
  });

  describe('API docs page (Swagger UI in headless Chromium)', () => {
    let browser: Browser;
    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: bash tools/ensure-chromium.sh installs Debian's chromium`);
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('loads, lists the booking endpoint, and "try it out" succeeds with a development token', async () => {
      const providerId = randomUUID();
      const token = await platform.token('provider', providerId);
      await fetch(`${platform.url}/scheduling/v1/providers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ providerId, specialties: ['psychiatry'], licensedStates: ['TX'], timeZone: 'America/Chicago', modalities: ['video', 'phone'] }),
      });
      const page = await browser.newPage();
      await page.goto(`${platform.url}/scheduling/docs/`);
      await page.locator('.opblock-summary-path[data-path="/v1/appointments"]').first().waitFor({ timeout: 30_000 });
      expect(await page.locator('.opblock-post .opblock-summary-path[data-path="/v1/appointments"]').count()).toBe(1);

      await page.locator('button.authorize').first().click();
      await page.locator('.modal-ux input[type="text"]').first().fill(token);
      await page.locator('.modal-ux button.authorize').first().click();
      await page.locator('.modal-ux button.btn-done, .modal-ux .close-modal').first().click();

      const operation = page.locator('.opblock-get:has(.opblock-summary-path[data-path="/v1/providers/{providerId}"])');
      await operation.locator('.opblock-summary').click();
      await operation.locator('button.try-out__btn').click();
      await operation.locator('input[placeholder="providerId"]').fill(providerId);
      await operation.locator('button.execute').click();
      const status = operation.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor({ timeout: 15_000 });
      expect((await status.textContent())?.trim()).toBe('200');
      expect(await operation.locator('.live-responses-table tbody .response-col_description').first().textContent()).toContain('psychiatry');
      const requestUrl = await operation.locator('.request-url pre').first().textContent();
      expect(requestUrl).toContain('/scheduling/v1/providers/');
      await page.close();
    });
  });
});
