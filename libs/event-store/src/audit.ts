import { chainHash, contentHash, GENESIS_HASH } from './hash-chain';
import type { EventStore, RecordedEvent } from './event-store.port';

export interface AuditFinding {
  readonly streamId: string;
  readonly version?: number;
  readonly globalPosition?: number;
  readonly problem: 'content-changed' | 'chain-broken' | 'version-gap' | 'tail-missing' | 'head-mismatch';
  readonly detail: string;
}

export interface AuditReport {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly findings: readonly AuditFinding[];
}

export interface AuditableStore extends EventStore {
  streamHeads(): Promise<Map<string, { version: number; lastHash: string }>>;
  /** Every committed event, not only what readAll already releases to followers (PostgreSQL). */
  readCommitted?(after: number, limit: number): Promise<RecordedEvent[]>;
}

/**
 * Walks the whole log and recomputes every stream's hash chain. Finds events changed, removed
 * or reordered behind the store's back. Run it on one snapshot (PostgreSQL: a REPEATABLE READ
 * transaction, as `npm run audit:verify` does) so appends during the walk are not mistaken
 * for missing events.
 *
 * Not detected: a chain recomputed end to end, or a whole stream removed with its head row, by
 * someone with write access to the database (anchor `streamHeads` elsewhere, for example in a
 * signed daily export, where that matters); `recordedAt` and `globalPosition` are not hashed.
 */
export async function verifyAuditTrail(
  store: AuditableStore,
  options: { batchSize?: number; onProgress?: (checked: number) => void } = {},
): Promise<AuditReport> {
  const batchSize = options.batchSize ?? 5_000;
  const last = new Map<string, { version: number; hash: string }>();
  const findings: AuditFinding[] = [];
  let position = 0;
  let checked = 0;
  for (;;) {
    // Committed rows of the snapshot, so that the stream heads read in the same snapshot match
    // them even while another transaction holds readAll back.
    const batch = store.readCommitted
      ? await store.readCommitted(position, batchSize)
      : await store.readAll(position, batchSize);
    if (batch.length === 0) break;
    for (const event of batch) {
      checkEvent(event, last, findings);
      position = event.globalPosition;
    }
    checked += batch.length;
    options.onProgress?.(checked);
  }
  const heads = await store.streamHeads();
  for (const [streamId, head] of heads) {
    const seen = last.get(streamId);
    if (head.version === 0 && !seen) continue;
    if (seen && seen.version > head.version) {
      findings.push({
        streamId,
        problem: 'head-mismatch',
        detail: `stream head says version ${head.version}, events go up to ${seen.version}`,
      });
    } else if (!seen || seen.version < head.version) {
      findings.push({
        streamId,
        problem: 'tail-missing',
        detail: `stream head says version ${head.version}, events end at ${seen?.version ?? 0}`,
      });
    } else if (seen.hash !== head.lastHash) {
      findings.push({ streamId, problem: 'head-mismatch', detail: 'last event hash differs from the stream head' });
    }
  }
  return { ok: findings.length === 0, eventsChecked: checked, streamsChecked: last.size, findings };
}

function checkEvent(
  event: RecordedEvent,
  last: Map<string, { version: number; hash: string }>,
  findings: AuditFinding[],
): void {
  const previous = last.get(event.streamId) ?? { version: 0, hash: GENESIS_HASH };
  const where = { streamId: event.streamId, version: event.streamVersion, globalPosition: event.globalPosition };
  if (event.streamVersion !== previous.version + 1) {
    findings.push({
      ...where,
      problem: 'version-gap',
      detail: `version ${event.streamVersion} follows ${previous.version}: events were removed`,
    });
  }
  const content = contentHash({
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
  });
  const expected = chainHash(previous.hash, event.streamId, event.streamVersion, content);
  if (expected !== event.hash) {
    const recomputedFromOwnLink = findings.some((f) => f.streamId === event.streamId && f.problem !== 'chain-broken');
    findings.push({
      ...where,
      problem: recomputedFromOwnLink ? 'chain-broken' : 'content-changed',
      detail: `stored hash ${event.hash.slice(0, 12)}… does not match the recomputed ${expected.slice(0, 12)}…`,
    });
  }
  last.set(event.streamId, { version: event.streamVersion, hash: event.hash });
}
