import type { PGlite } from '@electric-sql/pglite';
import { PGliteWireServer } from './pglite-wire-server';

export interface EmbeddedPostgres {
  /** For `new pg.Pool({ connectionString })`: the same driver and SQL as the distributed profile. */
  readonly connectionString: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL for the embedded profile: PGlite (PostgreSQL compiled to WebAssembly, in this
 * process) behind a wire-protocol server (PGliteWireServer), so `pg` and everything built on it
 * run unchanged.
 *
 * All connections share PGlite's single session: a connection that sends a query while another
 * holds a transaction waits until that transaction ends. Never hold a transaction open while
 * awaiting another connection or network I/O.
 */
export async function startEmbeddedPostgres(
  options: {
    dataDir?: string;
    maxConnections?: number;
    /**
     * The session's search_path. Per-connection startup options (`-c search_path=...`) are
     * ignored, and all connections share PGlite's one session, so a library that
     * relies on them (BullMQ's PostgreSQL backend uses schema `bullmq`) needs it set here.
     */
    searchPath?: readonly string[];
  } = {},
): Promise<EmbeddedPostgres> {
  // An ES module; loaded on demand so the distributed profile never pays for it.
  const { PGlite: PGliteClass } = (await import('@electric-sql/pglite')) as { PGlite: typeof PGlite };
  const db = await PGliteClass.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  if (options.searchPath && options.searchPath.length > 0) {
    await db.exec(`SET search_path TO ${options.searchPath.map((s) => `"${s.replace(/"/g, '""')}"`).join(', ')}`);
  }
  const server = new PGliteWireServer(db);
  const address = await server.listen(0, '127.0.0.1');
  return {
    connectionString: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}
