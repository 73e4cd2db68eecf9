import type { PGlite } from '@electric-sql/pglite';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGliteWireServer, generateDatabasePassword } from './pglite-wire-server';

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
    /** PostgreSQL's shared_buffers (default 16MB). */
    sharedBuffers?: string;
  } = {},
): Promise<EmbeddedPostgres> {
  // An ES module; loaded on demand so the distributed profile never pays for it.
  const { PGlite: PGliteClass } = (await import('@electric-sql/pglite')) as { PGlite: typeof PGlite };
  if (options.dataDir !== undefined) await initialiseDataDir(options.dataDir);
  // PGlite's own start parameters, with a smaller buffer pool (a development database) and the
  // search_path set for the whole session.
  const defaults = (PGliteClass as unknown as { defaultStartParams: string[] }).defaultStartParams;
  const startParams = [
    ...defaults.filter((param, i) => !param.startsWith('search_path=') && !(param === '-c' && defaults[i + 1]?.startsWith('search_path='))),
    '-c',
    `shared_buffers=${options.sharedBuffers ?? '16MB'}`,
    ...(options.searchPath && options.searchPath.length > 0
      ? ['-c', `search_path=${options.searchPath.map((s) => `"${s.replace(/"/g, '""')}"`).join(',')}`]
      : ['-c', 'search_path=public']),
  ];
  const db = await PGliteClass.create({ ...(options.dataDir !== undefined && { dataDir: options.dataDir }), startParams });
  // A password generated for this run: other local users and processes cannot connect.
  const password = generateDatabasePassword();
  const server = new PGliteWireServer(db, password);
  const address = await server.listen(0, '127.0.0.1');
  return {
    connectionString: `postgres://postgres:${password}@${address}/postgres`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}

/**
 * Creates a new data folder (initdb) in a short-lived child process. initdb inside PGlite grows
 * its WebAssembly memory to about 600 MB, which this process would keep for its whole life;
 * opening an initialised folder costs about 150 MB.
 */
async function initialiseDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const script = `import('@electric-sql/pglite').then(async ({ PGlite }) => {
    const db = await PGlite.create({ dataDir: ${JSON.stringify(path.resolve(dataDir))} });
    await db.close();
  }).catch((error) => { console.error(error); process.exit(1); });`;
  await promisify(execFile)(process.execPath, ['-e', script], { cwd: path.dirname(require.resolve('@electric-sql/pglite')) });
}
