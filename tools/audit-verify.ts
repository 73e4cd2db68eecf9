/**
 * npm run audit:verify [-- --schema <name> ...]
 * Recomputes every stream's hash chain in the given event-store schemas (default: every schema
 * that has an event store) and exits 1 if any event was changed or removed behind the store's back.
 */
import { Pool } from 'pg';
import { PostgresEventStore, verifyAuditTrail } from '@carebridge/event-store';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge';
  const args = process.argv.slice(2);
  const requested = args.flatMap((arg, i) => (arg === '--schema' && args[i + 1] ? [args[i + 1]!] : []));
  const pool = new Pool({ connectionString: url, max: 2 });
  try {
    const schemas =
      requested.length > 0
        ? requested
        : (
            await pool.query<{ schema: string }>(
              `SELECT n.nspname AS schema FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE p.proname = 'append_events' ORDER BY 1`,
            )
          ).rows.map((r) => r.schema);
    if (schemas.length === 0) {
      console.log(`[audit] no event store found in ${redact(url)}`);
      return 0;
    }
    let failed = false;
    for (const schema of schemas) {
      const started = Date.now();
      // One snapshot for the walk and the stream heads: appends meanwhile are simply not seen.
      const client = await pool.connect();
      let report;
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        report = await verifyAuditTrail(new PostgresEventStore(pool, schema).withClient(client), {
          onProgress: (n) => process.stdout.write(`\r[audit] ${schema}: ${n} events checked`),
        });
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      process.stdout.write('\n');
      const took = ((Date.now() - started) / 1000).toFixed(1);
      if (report.ok) {
        console.log(`[audit] ${schema}: OK, ${report.eventsChecked} events in ${report.streamsChecked} streams (${took} s)`);
      } else {
        failed = true;
        console.log(`[audit] ${schema}: ${report.findings.length} problem(s)`);
        for (const f of report.findings) {
          console.log(`  ${f.problem} stream=${f.streamId} version=${f.version ?? '-'} position=${f.globalPosition ?? '-'}: ${f.detail}`);
        }
      }
    }
    return failed ? 1 : 0;
  } finally {
    await pool.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[audit] failed: ${(error as Error).message}`);
    process.exit(2);
  },
);
