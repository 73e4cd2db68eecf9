import { createHash } from 'node:crypto';

/**
 * Tamper evidence: each event's hash covers its content and the previous event's hash in the
 * same stream, so changing or removing any event breaks every later link. The PostgreSQL
 * adapter computes the link in SQL with the same formula (see migrations); both must agree.
 */
export const GENESIS_HASH = '';

/** Deterministic JSON: object keys sorted, no whitespace; what jsonb round-trips keep equal. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  }
  if (value instanceof Date) {
    return JSON.stringify(value.toISOString());
  }
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}

export interface HashedContent {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

/**
 * Content hashes of the events of one append: the shared metadata is canonicalised once. The
 * text is exactly canonicalJson of each event's content (its keys already in sorted order).
 */
export function contentHashes(
  events: readonly { eventId: string; type: string; schemaVersion: number; data: unknown }[],
  metadata: unknown,
): string[] {
  const canonicalMetadata = canonicalJson(metadata);
  return events.map((event) =>
    sha256Hex(
      `{"data":${canonicalJson(event.data)},"eventId":${JSON.stringify(event.eventId.toLowerCase())},` +
        `"metadata":${canonicalMetadata},"schemaVersion":${canonicalJson(event.schemaVersion)},"type":${JSON.stringify(event.type)}}`,
    ),
  );
}

export function contentHash(content: HashedContent): string {
  return sha256Hex(
    canonicalJson({
      eventId: content.eventId.toLowerCase(),
      type: content.type,
      schemaVersion: content.schemaVersion,
      data: content.data,
      metadata: content.metadata,
    }),
  );
}

export function chainHash(previousHash: string, streamId: string, version: number, content: string): string {
  return sha256Hex(`${previousHash}\n${streamId}\n${version}\n${content}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A JSON value as it will be read back: undefined dropped, dates as strings. */
export function toJsonValue<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}
