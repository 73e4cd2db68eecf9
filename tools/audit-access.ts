/**
 * npm run audit:access -- --patient <id> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]
 * The accounting of disclosures of one patient across the five services (HIPAA 164.528), for ops:
 * every AccessRecorded event naming the patient in every event-store schema of DATABASE_URL,
 * merged in time order (the break-the-glass ones flagged with their reason).
 */
import { Pool } from 'pg';
import type { AccessRecordedData } from '@carebridge/access-audit';
import { quoteIdent } from '@carebridge/event-store';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const patientId = arg('patient')?.toLowerCase();
  if (!patientId) {
    console.error('usage: npm run audit:access -- --patient <id> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]');
    return 2;
  }
  const from = arg('from') ?? '0001-01-01';
  const to = arg('to') ?? '9999-12-31';
  const pool = new Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carebridge', max: 2 });
  try {
    const schemas = (
      await pool.query<{ schema: string }>(
        `SELECT n.nspname AS schema FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = 'append_events' ORDER BY 1`,
      )
    ).rows.map((r) => r.schema);
    const accesses: (AccessRecordedData & { schema: string })[] = [];
    for (const schema of schemas) {
      const { rows } = await pool.query<{ data: AccessRecordedData }>(
        `SELECT data FROM ${quoteIdent(schema)}.events
          WHERE event_type = 'AccessRecorded' AND stream_id LIKE 'access-%' AND data->'patientIds' ? $1
            AND substr(stream_id, length(stream_id) - 9) BETWEEN $2 AND $3`,
        [patientId, from, to],
      );
      accesses.push(...rows.map((r) => ({ ...r.data, schema })));
    }
    accesses.sort((a, b) => a.at.localeCompare(b.at));
    if (process.argv.includes('--json')) {
      console.log(JSON.stringify({ patientId, accesses }, null, 2));
      return 0;
    }
    console.log(`[audit] patient ${patientId}: ${accesses.length} accesses in ${schemas.length} schemas`);
    for (const a of accesses) {
      const glass = a.breakTheGlass ? `  BREAK-THE-GLASS: ${a.reason ?? ''}` : '';
      console.log(`${a.at}  ${a.service.padEnd(19)} ${a.actor.role.padEnd(8)} ${a.actor.id.padEnd(36)} ${a.purpose.padEnd(15)} ${a.outcome.padEnd(9)} ${a.operation}${glass}`);
    }
    return 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[audit] failed: ${(error as Error).message}`);
    process.exit(2);
  },
);
