/**
 * How the seed writes: through the services' own HTTP APIs with fixed ids and fixed Idempotency-Keys,
 * so a restart on the same data folder appends nothing new (a replay answers like the first time;
 * "already exists" is accepted too).
 */

/** The seed's fixed ids: the tour and the README refer to them. */
export const id = (n: number) => `7c1e2a40-0000-4000-8000-${String(n).padStart(12, '0')}`;

export interface SeedTokens {
  provider(id: string): Promise<string>;
  patient(id: string): Promise<string>;
  pharmacy(id: string): Promise<string>;
  ops(): Promise<string>;
  payer(): Promise<string>;
}

/** What every role's seeding needs: where, as whom, and the counts of the summary line. */
export interface SeedContext {
  readonly url: string;
  readonly tokens: SeedTokens;
  /** The operations token (credentialing, directories, enrolment). */
  readonly ops: string;
  readonly counts: { providers: number; pharmacies: number; patients: number; coverages: number; devices: number };
}

class SeedError extends Error {}

/** One seeding call: 2xx, or 409 for what an earlier seed already created. No body (`undefined`) for operations that take none. */
export async function call(url: string, method: string, path: string, token: string, body: unknown, key?: string): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(key !== undefined && { 'idempotency-key': `seed-${key}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.ok || response.status === 409) return text ? (JSON.parse(text) as unknown) : undefined;
  throw new SeedError(`${method} ${path} answered ${response.status}: ${text.slice(0, 400)}`);
}

