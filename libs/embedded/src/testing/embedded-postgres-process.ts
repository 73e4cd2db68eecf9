/**
 * Embedded PostgreSQL in its own process, for tests: jest's module sandbox cannot run PGlite's
 * own dynamic imports. Prints {"connectionString": ...} once listening; stops on SIGTERM.
 */
import { startEmbeddedPostgres } from '../embedded-postgres';

void startEmbeddedPostgres({ ...(process.env.DATA_DIR && { dataDir: process.env.DATA_DIR }) }).then((embedded) => {
  process.stdout.write(`${JSON.stringify({ connectionString: embedded.connectionString })}\n`);
  process.on('SIGTERM', () => void embedded.stop().then(() => process.exit(0)));
});
