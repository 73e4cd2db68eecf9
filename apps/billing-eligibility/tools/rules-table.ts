/** `npm run rules:table`: rewrites the data table of apps/billing-eligibility/README.md from the rule data. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { summaryTable, withTable } from '../src/rules/data-summary.report';
import { loadRuleCatalog } from '../src/rules/rule-set.loader';
import { loadStateFiles } from '../src/rules/state-data.loader';

const readme = path.join(__dirname, '..', 'README.md');
const table = summaryTable(loadStateFiles(), loadRuleCatalog().ruleSets);
writeFileSync(readme, withTable(readFileSync(readme, 'utf8'), table));
process.stdout.write(`${table}\n`);
