import { chainHash, contentHash, GENESIS_HASH, toJsonValue } from '../hash-chain';
import {
  DuplicateEventIdError,
  validateAppend,
  validateAppendMany,
  versionMatches,
  WrongExpectedVersionError,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type RecordedEvent,
  type StreamAppend,
} from '../event-store.port';

/** The event store in process memory: for fast domain and application tests. */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async append(
    streamId: string,
    expected: ExpectedVersion,
    events: readonly NewEvent[],
    metadata: EventMetadata,
  ): Promise<AppendResult> {
    validateAppend(streamId, expected, events);
    return this.apply(this.check({ streamId, expected, events, metadata }));
  }

  async appendMany(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateAppendMany(appends);
    const ids = appends.flatMap((part) => part.events.map((event) => event.id.toLowerCase()));
    if (new Set(ids).size !== ids.length) throw new DuplicateEventIdError(appends[0]!.streamId, ids);
    // Every part is checked before any is applied (nothing awaits in between): all or nothing.
    const checked = appends.map((part) => this.check(part));
    return checked.map((part) => this.apply(part));
  }

  /** The append's outcome without changing anything: the stored events of a repeat, or the append to make. */
  private check(part: StreamAppend): AppendResult | StreamAppend {
    const { streamId, expected, events } = part;
    const ids = events.map((event) => event.id.toLowerCase());
    const existing = ids.map((id) => this.byId.get(id)).filter((e): e is RecordedEvent => e !== undefined);
    const stream = this.streams.get(streamId) ?? [];
    if (existing.length > 0) {
      if (existing.length === ids.length && existing.every((e) => e.streamId === streamId)) {
        return { nextExpectedVersion: stream.length, events: existing, alreadyAppended: true };
      }
      throw new DuplicateEventIdError(streamId, ids);
    }
    if (!versionMatches(expected, stream.length)) {
      throw new WrongExpectedVersionError(streamId, expected, stream.length);
    }
    return part;
  }

  private apply(checked: AppendResult | StreamAppend): AppendResult {
    if (!('streamId' in checked)) return checked;
    const { streamId, events, metadata } = checked;
    const ids = events.map((event) => event.id.toLowerCase());
    const stream = this.streams.get(streamId) ?? [];
    const storedMetadata = toJsonValue(metadata);
    const recordedAt = this.clock();
    let previousHash = stream.at(-1)?.hash ?? GENESIS_HASH;
    const recorded = events.map<RecordedEvent>((event, i) => {
      const schemaVersion = event.schemaVersion ?? 1;
      const data = toJsonValue(event.data ?? null);
      const version = stream.length + i + 1;
      const content = contentHash({ eventId: ids[i]!, type: event.type, schemaVersion, data, metadata: storedMetadata });
      previousHash = chainHash(previousHash, streamId, version, content);
      return {
        eventId: ids[i]!,
        streamId,
        streamVersion: version,
        globalPosition: this.log.length + i + 1,
        type: event.type,
        schemaVersion,
        data,
        metadata: storedMetadata,
        recordedAt,
        hash: previousHash,
      };
    });
    this.streams.set(streamId, [...stream, ...recorded]);
    for (const event of recorded) {
      this.log.push(event);
      this.byId.set(event.eventId, event);
    }
    return { nextExpectedVersion: stream.length + recorded.length, events: recorded, alreadyAppended: false };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<RecordedEvent[]> {
    return (this.streams.get(streamId) ?? []).filter((event) => event.streamVersion >= fromVersion);
  }

  async readAll(after: number, limit: number): Promise<RecordedEvent[]> {
    return this.log.slice(Math.max(0, after), Math.max(0, after) + limit);
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async streamHeads(): Promise<Map<string, { version: number; lastHash: string }>> {
    return new Map(
      [...this.streams].map(([id, events]) => [id, { version: events.length, lastHash: events.at(-1)?.hash ?? GENESIS_HASH }]),
    );
  }
}
