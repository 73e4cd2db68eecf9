import { randomUUID } from 'node:crypto';
import type { EventStore } from '@carebridge/event-store';
import type { AccessRecordedData } from './access.events';
import { accessStreamId } from './access.stream';

interface Pending {
  readonly data: AccessRecordedData;
  readonly done: { resolve: () => void; reject: (error: unknown) => void };
}

export interface AccessRecorderStats {
  readonly recorded: number;
  readonly appends: number;
}

/**
 * Appends `AccessRecorded` events with group commit: a request waits until its event is stored
 * (no answer leaves without its audit record), but requests arriving while an append is in
 * flight share the next append, so under load the cost is one round trip per batch, not per read.
 * An idle recorder appends at once (no timer delay).
 */
export class AccessRecorder {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private recorded = 0;
  private appends = 0;

  constructor(
    private readonly store: EventStore,
    private readonly options: { readonly maxBatch?: number } = {},
  ) {}

  record(data: AccessRecordedData): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ data, done: { resolve, reject } });
      this.flushing ??= this.drain();
    });
  }

  /** Resolves when everything recorded so far is stored. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  stats(): AccessRecorderStats {
    return { recorded: this.recorded, appends: this.appends };
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? 500);
        const byStream = new Map<string, Pending[]>();
        for (const item of batch) {
          const streamId = accessStreamId(item.data.service, new Date(item.data.at));
          byStream.set(streamId, [...(byStream.get(streamId) ?? []), item]);
        }
        await Promise.all([...byStream].map(([streamId, items]) => this.append(streamId, items)));
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async append(streamId: string, items: readonly Pending[]): Promise<void> {
    try {
      await this.store.append(
        streamId,
        'any',
        items.map((item) => ({ id: randomUUID(), type: 'AccessRecorded', data: item.data })),
        {
          actor: { id: 'access-audit', role: 'system' },
          correlationId: items.length === 1 ? items[0]!.data.correlationId : randomUUID(),
          occurredAt: items[items.length - 1]!.data.at,
          command: 'RecordAccess',
        },
      );
      this.recorded += items.length;
      this.appends += 1;
      for (const item of items) item.done.resolve();
    } catch (error) {
      for (const item of items) item.done.reject(error);
    }
  }
}
