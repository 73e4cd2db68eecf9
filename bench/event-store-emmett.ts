/**
 * The peer of bench/event-store.bench.ts: Emmett's PostgreSQL event store
 * (@event-driven-io/emmett-postgresql 0.42), the best-known Node event store on PostgreSQL, on the
 * same PostgreSQL server. Emmett keeps its tables in `public`, so it gets a database of its own,
 * made and dropped by the bench. Same event shapes (data and metadata), same pool size.
 */
import { Client, Pool } from 'pg';
import { dumbo } from '@event-driven-io/dumbo';
import { getPostgreSQLEventStore, readMessagesBatch, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';

export interface EmmettPeer {
  readonly store: PostgresEventStore;
  /** Appends `events` to `stream` expecting `version` (0n for a new stream); returns the next version. */
  append(stream: string, version: bigint, events: { type: string; data: object; metadata: object }[]): Promise<bigint>;
  readStream(stream: string): Promise<number>;
  /** Reads every message in pages of `pageSize`; returns how many. */
  readAll(pageSize: number): Promise<number>;
  close(): Promise<void>;
}

export async function startEmmett(serverUrl: string, poolSize: number): Promise<EmmettPeer> {
  const database = `bench_emmett_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const connectionString = serverUrl.replace(/\/[^/]*$/, `/${database}`);
  const pool = new Pool({ connectionString, max: poolSize });
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { pooled: true, pool } as never });
  await store.schema.migrate();
  const reader = dumbo({ connectionString });
  return {
    store,
    async append(stream, version, events) {
      const result = await store.appendToStream(stream, events as never, { expectedStreamVersion: version as never });
      return result.nextExpectedStreamVersion as bigint;
    },
    async readStream(stream) {
      return (await store.readStream(stream)).events.length;
    },
    async readAll(pageSize) {
      let after = 0n;
      let count = 0;
      for (;;) {
        const batch = await readMessagesBatch(reader.execute, { after, batchSize: pageSize });
        if (batch.messages.length === 0) break;
        count += batch.messages.length;
        after = batch.currentGlobalPosition;
        if (!batch.areMessagesLeft) break;
      }
      return count;
    },
    async close() {
      await reader.close();
      await store.close();
      await pool.end().catch(() => undefined);
      const dropper = new Client({ connectionString: serverUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await dropper.end();
    },
  };
}
