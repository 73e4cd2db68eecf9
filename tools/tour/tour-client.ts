/**
 * How the tour reaches the platform: HTTP with development tokens, bounded polls for what another
 * service does in reaction, and read-only queries of the services' event stores.
 * URL and database from the flags, else tmp/dev-tokens.json (written by `npm start`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { detail, excerpt, seconds, TourFailure } from './tour-output';

const root = path.join(__dirname, '..', '..');
export const WAIT_MS = 20_000;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const devFile = path.resolve(process.env.CAREBRIDGE_TOKENS_FILE ?? path.join(root, 'tmp', 'dev-tokens.json'));
const dev = existsSync(devFile) ? (JSON.parse(readFileSync(devFile, 'utf8')) as { url?: string; databaseUrl?: string }) : {};
export const baseUrl = (option('url') ?? process.env.CAREBRIDGE_URL ?? dev.url ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
// The file's database belongs to the platform that wrote it: another URL, another database.
export const databaseUrl =
  option('database-url') ?? process.env.CAREBRIDGE_DATABASE_URL ?? (dev.url?.replace(/\/$/, '') === baseUrl ? dev.databaseUrl : undefined);

// ---------------------------------------------------------------------------------------------
// HTTP

export interface Answer<T = any> {
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

export async function call<T = any>(method: string, route: string, options: CallOptions = {}): Promise<Answer<T>> {
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
export async function token(role: 'patient' | 'provider' | 'pharmacy' | 'payer' | 'ops', sub: string, extra = ''): Promise<string> {
  const cacheKey = `${role}:${sub}:${extra}`;
  const cached = tokenCache.get(cacheKey);
  if (cached) return cached;
  const answer = await call<{ token: string }>('GET', `/dev/token?role=${role}&sub=${encodeURIComponent(sub)}${extra}`);
  tokenCache.set(cacheKey, answer.body.token);
  return answer.body.token;
}

/** Polls `probe` until it returns a value (bounded); the failure names what was awaited. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = WAIT_MS): Promise<{ value: T; waitedMs: number }> {
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
export function database(): Pool {
  if (!databaseUrl) {
    throw new TourFailure(`no database URL for ${baseUrl}: pass --database-url (npm start prints it and writes it to ${path.relative(process.cwd(), devFile)})`);
  }
  pool ??= new Pool({ connectionString: databaseUrl, max: 2 });
  return pool;
}

export async function closeDatabase(): Promise<void> {
  await pool?.end().catch(() => undefined);
}

export interface StoredEvent {
  schema: string;
  global_position: string;
  stream_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: { actor?: { id: string; role: string }; occurredAt?: string; purpose?: string };
  recorded_at: Date;
}

export async function eventStoreSchemas(): Promise<string[]> {
  const { rows } = await database().query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = 'append_events' ORDER BY 1`,
  );
  return rows.map((r) => r.schema);
}

export async function findEvent(schema: string, type: string, field: string, value: string): Promise<StoredEvent | undefined> {
  const { rows } = await database().query<StoredEvent>(
    `SELECT $1::text AS schema, global_position, stream_id, event_type, data, metadata, recorded_at
       FROM "${schema}".events WHERE event_type = $2 AND data->>$3 = $4 ORDER BY global_position LIMIT 1`,
    [schema, type, field, value],
  );
  return rows[0];
}
