import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** For `new pg.Pool({ connectionString })`: the same driver and SQL as the distributed profile. */
  readonly connectionString: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL for the embedded profile: PGlite (PostgreSQL compiled to WebAssembly, in this
 * process) behind pglite-socket, so `pg` and everything built on it run unchanged.
 *
 * pglite-socket multiplexes its connections over PGlite's single session: a connection that
 * sends a query while another holds a transaction waits until that transaction ends. Never
 * hold a transaction open while awaiting another connection or network I/O.
 */
export async function startEmbeddedPostgres(
  options: {
    dataDir?: string;
    maxConnections?: number;
    /**
     * The session's search_path. pglite-socket ignores per-connection startup options
     * (`-c search_path=...`), and its connections share PGlite's one session, so a library that
     * relies on them (BullMQ's PostgreSQL backend uses schema `bullmq`) needs it set here.
     */
    searchPath?: readonly string[];
  } = {},
): Promise<EmbeddedPostgres> {
  // Both packages are ES modules; loaded on demand so the distributed profile never pays for them.
  const { PGlite: PGliteClass } = (await import('@electric-sql/pglite')) as { PGlite: typeof PGlite };
  const { PGLiteSocketServer: Server } = (await import('@electric-sql/pglite-socket')) as {
    PGLiteSocketServer: typeof PGLiteSocketServer;
  };
  const db = await PGliteClass.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  if (options.searchPath && options.searchPath.length > 0) {
    await db.exec(`SET search_path TO ${options.searchPath.map((s) => `"${s.replace(/"/g, '""')}"`).join(', ')}`);
  }
  const server = new Server({ db, host: '127.0.0.1', port: 0, maxConnections: options.maxConnections ?? 20 });
  await server.start();
  const address = server.getServerConn();
  return {
    connectionString: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
