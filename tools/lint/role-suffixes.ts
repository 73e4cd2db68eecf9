/**
 * Role suffixes on file names (issue 17 item 10, docs/service-guide.md "File names"), run by
 * `npm run lint` as `lint:suffixes`: every .ts file under apps/<service>/src and apps/<service>/test
 * is `<subject>.<role>.ts` with a role of the guide's list (one spelling per role: `.read`,
 * `.projections` and `.jobs` are refused), tests are `.unit.spec`, `.int.spec` or `.e2e.spec`, and only
 * the entry files `main.ts`, `config.ts`, `telemetry.ts` and `index.ts` go without.
 *
 * Services another lane was working in are listed in PENDING: reported, not failed; remove
 * an entry when its lane lands (the check says when a pending service has nothing left to rename).
 *
 * Usage: ./tools/ts-node.sh tools/lint/role-suffixes.ts [--root DIR]
 *        ./tools/ts-node.sh tools/lint/role-suffixes.ts --self-test
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The guide's table, in its order. Keep the two together. */
export const ROLES = [
  'decider', 'decide', 'events', 'commands', 'errors', 'state', 'rules', 'stream', 'projection', 'views',
  'http', 'http-support', 'access-policy', 'access', 'consumer', 'publisher', 'reactor', 'handler', 'job',
  'calendar', 'mapping', 'schemas', 'openapi', 'fhir', 'fhir-server', 'port', 'adapter', 'crypto', 'loader', 'report',
  'config', 'policy', 'tokens', 'module', 'service', 'migrations', 'migrate', 'fixtures', 'contract', 'bench',
  'fuzz', 'example',
] as const;
const ENTRY_FILES = new Set(['main.ts', 'config.ts', 'telemetry.ts', 'index.ts']);
const TESTS = /\.(unit|int|e2e)\.spec\.ts$/;
const CHECKED = /^apps\/[^/]+\/(src|test)\/.+\.ts$/;
const DATA = /\/data\//;

/** Services other lanes were changing while the others were renamed (issue 17, 2026-12-07). */
const PENDING: Record<string, string> = {};

/** Why `path` breaks the naming rule, or undefined when it keeps it. */
export function problemOf(path: string): string | undefined {
  if (!CHECKED.test(path) || DATA.test(path)) return undefined;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (ENTRY_FILES.has(name)) return undefined;
  if (name.endsWith('.spec.ts')) return TESTS.test(name) ? undefined : 'a test is .unit.spec.ts, .int.spec.ts or .e2e.spec.ts';
  const parts = name.slice(0, -'.ts'.length).split('.');
  if (parts.length < 2) return 'no role suffix';
  const role = parts[parts.length - 1]!;
  return (ROLES as readonly string[]).includes(role) ? undefined : `role .${role} is not in docs/service-guide.md "File names"`;
}

function trackedFiles(root: string): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'apps'], { cwd: root, encoding: 'utf8' });
  return out.split('\n').filter((line) => line.endsWith('.ts'));
}

function selfTest(): void {
  const cases: [string, string | undefined][] = [
    ['apps/a/src/b/b.decider.ts', undefined],
    ['apps/a/src/b/b.decider.unit.spec.ts', undefined],
    ['apps/a/src/main.ts', undefined],
    ['apps/a/test/a-app.fixtures.ts', undefined],
    ['apps/a/src/rules/data/x.ts', undefined],
    ['apps/a/bench/a.ts', undefined],
    ['apps/a/src/b/helpers.ts', 'no role suffix'],
    ['apps/a/src/b/b.read.ts', 'role .read is not in docs/service-guide.md "File names"'],
    ['apps/a/src/b/b.jobs.ts', 'role .jobs is not in docs/service-guide.md "File names"'],
    ['apps/a/src/b/b.spec.ts', 'a test is .unit.spec.ts, .int.spec.ts or .e2e.spec.ts'],
  ];
  let failed = 0;
  for (const [path, want] of cases) {
    const got = problemOf(path);
    const ok = got === want;
    if (!ok) failed += 1;
    console.log(`  ${ok ? 'ok' : 'FAIL'}: ${path}${ok ? '' : ` (got ${String(got)}, want ${String(want)})`}`);
  }
  if (failed > 0) process.exit(1);
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--self-test')) {
    selfTest();
    return;
  }
  const rootIndex = args.indexOf('--root');
  const root = rootIndex >= 0 ? args[rootIndex + 1]! : join(__dirname, '..', '..');
  const files = trackedFiles(root);
  const problems = files.flatMap((path) => {
    const problem = problemOf(path);
    return problem ? [{ path, problem }] : [];
  });
  const pendingOf = (path: string) => Object.keys(PENDING).find((prefix) => path.startsWith(prefix));
  const failing = problems.filter((p) => !pendingOf(p.path));
  for (const [prefix, reason] of Object.entries(PENDING)) {
    const count = problems.filter((p) => p.path.startsWith(prefix)).length;
    console.log(count > 0 ? `pending (${reason}): ${count} file(s) under ${prefix}` : `pending entry ${prefix} has nothing left: remove it`);
  }
  for (const { path, problem } of failing) console.error(`role suffix: ${path}: ${problem}`);
  if (failing.length > 0) {
    console.error(`${failing.length} file(s) without a listed role suffix: rename them (docs/service-guide.md "File names").`);
    process.exit(1);
  }
  console.log(`role suffixes ok: ${files.length} files under apps/`);
}

if (require.main === module) main();
