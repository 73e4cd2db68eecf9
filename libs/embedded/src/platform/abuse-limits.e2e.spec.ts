import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnPlatform, type SpawnedPlatform } from '../testing/spawn-platform';

// Issue 22: rate limits (429 with Retry-After, then recovery) and uploads that are never read
// before authentication, on the embedded platform. One trusted proxy hop, so each test speaks
// from its own address through X-Forwarded-For and has buckets of its own.
let dataDir: string;
let platform: SpawnedPlatform;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'carebridge-limits-'));
  // Slow refills (one token per 10 s; the device bucket one a minute): a slow machine cannot
  // refill a bucket while a test empties it.
  platform = await spawnPlatform(dataDir, ['--no-seed'], {
    RATE_LIMIT_TRUSTED_PROXY_HOPS: '1',
    RATE_LIMIT_PER_ADDRESS_BURST: '10',
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '6',
    RATE_LIMIT_PER_PRINCIPAL_BURST: '5',
    RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: '6',
    RATE_LIMIT_DEVICE_BURST: '30',
    RATE_LIMIT_DEVICE_PER_MINUTE: '1',
  });
});
afterAll(async () => {
  await platform?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

let addresses = 0;
const freshAddress = () => `198.51.100.${++addresses}`;

async function get(url: string, headers: Record<string, string>) {
  const response = await fetch(`${platform.url}${url}`, { headers });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), contentType: response.headers.get('content-type') ?? '' };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limits', () => {
  it('per address: 429 problem+json with Retry-After once the burst is spent, then requests pass again', async () => {
    const address = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await get('/scheduling/v1/slots', { 'x-forwarded-for': address })).status);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    const refused = await get('/scheduling/v1/slots', { 'x-forwarded-for': address });
    expect(refused.status).toBe(429);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    const wait = Number(refused.retryAfter);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(10);
    // Another address is not affected.
    expect((await get('/scheduling/v1/slots', { 'x-forwarded-for': freshAddress() })).status).not.toBe(429);
    await sleep(wait * 1000 + 100);
    expect((await get('/scheduling/v1/slots', { 'x-forwarded-for': address })).status).not.toBe(429);
  });

  it('per principal: one caller is limited whatever address it comes from; another caller is not', async () => {
    const caller = await platform.token('patient', randomUUID());
    const other = await platform.token('patient', randomUUID());
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await get('/scheduling/v1/appointments', { authorization: `Bearer ${caller}`, 'x-forwarded-for': freshAddress() })).status);
    }
    expect(statuses.slice(0, 5).filter((s) => s === 429)).toEqual([]);
    expect(statuses[5]).toBe(429);
    const refused = await get('/scheduling/v1/appointments', { authorization: `Bearer ${caller}`, 'x-forwarded-for': freshAddress() });
    expect(refused.status).toBe(429);
    expect((await get('/scheduling/v1/appointments', { authorization: `Bearer ${other}`, 'x-forwarded-for': freshAddress() })).status).not.toBe(429);
    await sleep(Number(refused.retryAfter) * 1000 + 100);
    expect((await get('/scheduling/v1/appointments', { authorization: `Bearer ${caller}`, 'x-forwarded-for': freshAddress() })).status).not.toBe(429);
  });

  it('device ingestion has its own, larger limit (sized for RPM volumes)', async () => {
    const address = freshAddress();
    const deviceId = randomUUID();
    const post = async () => {
      const response = await fetch(`${platform.url}/monitoring/v1/devices/${deviceId}/readings`, {
        method: 'POST',
        headers: { 'x-forwarded-for': address, 'x-device-key': 'wrong', 'content-type': 'application/json' },
        body: JSON.stringify({ readings: [] }),
      });
      await response.arrayBuffer();
      return response.status;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push(await post());
    // Past the default per-address burst (10), within the device burst (30).
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(await post()).toBe(429);
  });
});

/** The platform's resident memory, in MB (Linux). */
function residentMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(/\d+/.exec(line)![0]) / 1024;
}

/** Streams `bytes` of body in 1 MiB chunks; resolves with the status (the server may answer and close before all is sent). */
function upload(url: string, headers: Record<string, string>, bytes: number): Promise<{ status: number; contentType: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...headers, 'content-length': String(bytes) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? '') }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(sent <= bytes ? chunk : chunk.subarray(0, bytes - (sent - chunk.length)))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('uploads before authentication', () => {
  it('10 parallel unauthenticated 50 MiB uploads are answered 401 without buffering them: memory stays bounded', async () => {
    const before = residentMb(platform.pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, residentMb(platform.pid))), 50);
    const visitId = randomUUID();
    let answers: { status: number; contentType: string }[];
    try {
      answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          upload(`${platform.url}/visits/v1/visits/${visitId}/attachments`, { 'content-type': 'video/mp4', 'x-forwarded-for': `192.0.2.${i + 1}` }, 50 * 1024 * 1024),
        ),
      );
    } finally {
      clearInterval(sampler);
    }
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(401));
    expect(answers.every((a) => a.contentType.startsWith('application/problem+json'))).toBe(true);
    const growth = peak - before;
    process.stdout.write(`[uploads] resident memory ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB during 10 x 50 MiB unauthenticated uploads (+${growth.toFixed(0)} MB)\n`);
    // 500 MiB were sent; buffering even one of them would add 50 MB.
    expect(growth).toBeLessThan(50);
  });

  it('refuses a declared size over the limit with 413 before reading, and a type not taken with 415', async () => {
    const token = await platform.token('patient', randomUUID());
    const url = `${platform.url}/visits/v1/visits/${randomUUID()}/attachments`;
    const tooLarge = await upload(url, { authorization: `Bearer ${token}`, 'content-type': 'video/mp4', 'x-forwarded-for': freshAddress() }, 60 * 1024 * 1024);
    expect(tooLarge.status).toBe(413);
    const html = await upload(url, { authorization: `Bearer ${token}`, 'content-type': 'text/html', 'x-forwarded-for': freshAddress() }, 1024);
    expect(html.status).toBe(415);
  });
});
