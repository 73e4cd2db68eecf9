/**
 * npm run test:faults [-- --short]
 * The fault-injection suite (fault-suite.ts) in its full form: PostgreSQL stopped 10 s and
 * restarted, the broker SIGKILLed, a replica, the relay leader and a consumer killed or frozen,
 * under load. Prints the table the README's Reliability section quotes; exits 1 when a command was
 * lost or processed twice, or an invariant broke.
 */
import { formatFaultTable, runFaultSuite } from './fault-suite';

async function main(): Promise<number> {
  const report = await runFaultSuite({ mode: process.argv.includes('--short') ? 'short' : 'full' });
  console.log(`\n${formatFaultTable(report)}\n`);
  const t = report.totals;
  const broken = t.lost > 0 || t.duplicated > 0 || t.outOfOrderKeys > 0 || t.deadLettered > 0 || !t.auditOk || t.relayCheckpoint !== t.storeHead;
  if (broken) console.log(`[faults] an invariant broke; the services' logs are in ${report.logDir}`);
  return broken ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
