// Compares what dependency-cruiser reported on tools/lint/fixtures with what the fixtures
// announce: an import ending in `// BAD rule-a, rule-b` must be reported by exactly those
// rules, every other import by none. Also fails when a rule of the config has no fixture.
// Usage: node compare-violations.cjs <fixtures-dir> <config> < depcruise-json
const fs = require('node:fs');
const path = require('node:path');

const [fixturesDir, configFile] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(0, 'utf8'));

const IMPORT = /^\s*(?:import|export)\b.*?['"]([^'"]+)['"];?\s*(?:\/\/\s*(.*))?$/;

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const expected = new Set();
for (const file of sourceFiles(fixturesDir)) {
  const from = path.relative(fixturesDir, file).split(path.sep).join('/');
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = IMPORT.exec(line);
    const bad = match?.[2] && /^BAD\s+(.+?)(?:\s+\(.*\))?\s*$/.exec(match[2]);
    if (!bad) continue;
    for (const rule of bad[1].split(',').map((name) => name.trim())) {
      // dependency-cruiser reports built-ins without their `node:` prefix.
      expected.add(`${rule}  ${from} -> '${match[1].replace(/^node:/, '')}'`);
    }
  }
}

const actual = new Set(
  report.summary.violations.map((v) => `${v.rule.name}  ${v.from} -> '${v.unresolvedTo ?? v.to}'`),
);

const missed = [...expected].filter((line) => !actual.has(line)).sort();
const unexpected = [...actual].filter((line) => !expected.has(line)).sort();
const rules = require(path.resolve(configFile)).forbidden.map((rule) => rule.name);
const untested = rules.filter((rule) => ![...expected].some((line) => line.startsWith(`${rule}  `)));

for (const line of missed) console.log(`  NOT REPORTED (rule no longer bites): ${line}`);
for (const line of unexpected) console.log(`  UNEXPECTED (rule bites allowed code): ${line}`);
for (const rule of untested) console.log(`  NO FIXTURE for rule: ${rule}`);

if (missed.length || unexpected.length || untested.length) process.exit(1);
console.log(
  `  all ${expected.size} planted violations reported, nothing else (${rules.length} rules, ` +
    `${report.summary.totalCruised} modules)`,
);
