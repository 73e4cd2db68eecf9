/**
 * npm run contracts:asyncapi: writes libs/contracts/asyncapi.json from every registered integration event.
 * With --check (npm run lint): writes nothing; fails when the committed file differs from the
 * generated one, or when the AsyncAPI parser (@asyncapi/parser, its default rules) reports an
 * error or a warning.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { allIntegrationEvents, asyncApiDocument } from '@carebridge/contracts';

const file = path.join(__dirname, '..', 'libs', 'contracts', 'asyncapi.json');
const relative = path.relative(process.cwd(), file);
const generated = JSON.stringify(asyncApiDocument(allIntegrationEvents), null, 2) + '\n';

// Spectral severities, as the parser reports them.
const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

async function check(): Promise<number> {
  let committed: string;
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    console.error(`[asyncapi] ${relative} is missing: run npm run contracts:asyncapi and commit it`);
    return 1;
  }
  if (committed !== generated) {
    console.error(`[asyncapi] ${relative} differs from the contracts: run npm run contracts:asyncapi and commit it`);
    return 1;
  }
  const { diagnostics } = await new Parser().parse(committed);
  for (const d of diagnostics) {
    console.error(`[asyncapi] ${SEVERITY[d.severity] ?? d.severity} ${d.code}: ${d.message} at ${d.path.join('.') || '(root)'}`);
  }
  const failing = diagnostics.filter((d) => d.severity <= 1).length;
  if (failing === 0) console.log(`[asyncapi] ${relative}: up to date, ${diagnostics.length} parser diagnostics, none an error or warning`);
  return failing === 0 ? 0 : 1;
}

if (process.argv.includes('--check')) {
  check().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`[asyncapi] ${(error as Error).stack ?? String(error)}`);
      process.exit(1);
    },
  );
} else {
  writeFileSync(file, generated);
  console.log(`[contracts] ${allIntegrationEvents.length} integration events -> ${relative}`);
}
