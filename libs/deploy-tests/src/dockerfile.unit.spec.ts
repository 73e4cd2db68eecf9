import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { repoRoot } from './kustomize';

/**
 * No Docker engine (and no hadolint: not packaged for Debian 12 nor on npm) on our machines, so
 * the image is checked statically: the Dockerfile's instructions, the files it copies, and the
 * build script it runs, which really compiles libs and services and whose output really loads.
 */
const dockerDir = path.join(repoRoot, 'deploy', 'docker');
const dockerfile = readFileSync(path.join(dockerDir, 'Dockerfile'), 'utf8');
const build = require(path.join(dockerDir, 'build.cjs')) as {
  build(args: { service?: string; out: string; libs?: string[] }): { files: number; trees: string[] };
};
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

interface Instruction {
  readonly op: string;
  readonly args: string;
  readonly stage: number;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  let stage = -1;
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      if (op!.toUpperCase() === 'FROM') stage++;
      return { op: op!.toUpperCase(), args: rest.join(' '), stage };
    });
}

const all = instructions(dockerfile);
const finalStage = Math.max(...all.map((i) => i.stage));
const services = ['billing-eligibility', 'monitoring', 'prescriptions', 'scheduling', 'visits'];
const existingServices = services.filter((s) => existsSync(path.join(repoRoot, 'apps', s, 'src', 'main.ts')));

describe('Dockerfile', () => {
  it('is multi-stage on a pinned Node 20 slim image', () => {
    const nodeImage = /ARG NODE_IMAGE=(\S+)/.exec(dockerfile)?.[1];
    expect(nodeImage).toMatch(/^node:20\.\d+(\.\d+)?-[a-z]+-slim$/);
    const froms = all.filter((i) => i.op === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(3);
    for (const from of froms) expect(from.args).toMatch(/^\$\{NODE_IMAGE\} AS [a-z]+$/);
  });

  it('takes the service as a build argument in the stages that use it', () => {
    const stagesUsing = new Set(all.filter((i) => /\$\{?SERVICE\b/.test(i.args)).map((i) => i.stage));
    for (const stage of stagesUsing) {
      expect(all.some((i) => i.stage === stage && i.op === 'ARG' && /^SERVICE\b/.test(i.args))).toBe(true);
    }
  });

  it('runs as a numeric non-root user with node as PID 1 in exec form, and has no HEALTHCHECK', () => {
    const final = all.filter((i) => i.stage === finalStage);
    const user = final.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(JSON.parse(final.find((i) => i.op === 'ENTRYPOINT')!.args)).toEqual(['node', 'dist/main.js']);
    expect(all.some((i) => i.op === 'HEALTHCHECK')).toBe(false);
    expect(all.some((i) => i.op === 'CMD' && !i.args.startsWith('['))).toBe(false);
  });

  it('installs production dependencies only in the runtime image', () => {
    const runtimeCopies = all.filter((i) => i.stage === finalStage && i.op === 'COPY');
    const depsStage = all.find((i) => i.op === 'FROM' && / AS deps$/.test(i.args))!.stage;
    expect(runtimeCopies.some((i) => i.args.includes('--from=deps') && i.args.includes('node_modules'))).toBe(true);
    const depsRuns = all.filter((i) => i.stage === depsStage && i.op === 'RUN').map((i) => i.args).join(' ');
    for (const install of depsRuns.match(/npm (ci|install)[^|&)]*/g) ?? []) expect(install).toContain('--omit=dev');
    expect(all.filter((i) => i.stage === finalStage && i.op === 'RUN')).toEqual([]);
  });

  it('follows the hadolint rules that apply: no ADD, absolute WORKDIR, no sudo, no :latest', () => {
    expect(all.filter((i) => i.op === 'ADD')).toEqual([]);
    for (const w of all.filter((i) => i.op === 'WORKDIR')) expect(w.args).toMatch(/^\//);
    expect(dockerfile).not.toMatch(/\bsudo\b|:latest\b/);
  });

  it.each(existingServices.length > 0 ? existingServices : ['(no service yet)'])('copies only files that exist (SERVICE=%s)', (service) => {
    const sources = all
      .filter((i) => i.op === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => {
        const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
        return parts.slice(0, -1);
      })
      .map((p) => p.replace(/\$\{SERVICE\}/g, service));
    expect(sources.length).toBeGreaterThan(0);
    const ignored = readFileSync(path.join(dockerDir, 'Dockerfile.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const source of sources) {
      if (source.includes('(no service yet)')) continue;
      expect({ source, exists: existsSync(path.join(repoRoot, source)) }).toEqual({ source, exists: true });
      expect(ignored.filter((pattern) => source === pattern || source.startsWith(`${pattern}/`))).toEqual([]);
    }
  });
});

describe('build.cjs', () => {
  const tmpRoot = path.join(repoRoot, 'tmp');
  let out: string;
  beforeAll(() => {
    mkdirSync(tmpRoot, { recursive: true });
    // Inside the repository so the compiled code resolves the workspace's node_modules, as /app does.
    out = mkdtempSync(path.join(tmpRoot, 'image-build-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('compiles shared-kernel and event-store, rewrites the @carebridge aliases, and the output loads', () => {
    const { files } = build.build({ out, libs: ['shared-kernel', 'event-store'] });
    expect(files).toBeGreaterThan(5);
    const index = path.join(out, 'libs', 'event-store', 'src', 'index.js');
    const compiled = readdirSync(path.join(out, 'libs', 'event-store', 'src'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(path.join(out, 'libs', 'event-store', 'src', f), 'utf8'))
      .join('\n');
    expect(compiled).not.toContain('@carebridge/');
    expect(compiled).toContain('require("../../shared-kernel/src/index.js")');
    expect(readdirSync(path.join(out, 'libs', 'event-store', 'src'), { recursive: true }).map(String).filter((f) => f.includes('.spec.'))).toEqual([]);

    // A fresh node process, so jest's own module mapping plays no part.
    return new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [
          '-e',
          `const es = require(${JSON.stringify(index)});
           const sk = require(${JSON.stringify(path.join(out, 'libs', 'shared-kernel', 'src', 'index.js'))});
           const loaded = Object.keys(require.cache).filter((f) => f.includes('/libs/'));
           if (loaded.some((f) => !f.startsWith(${JSON.stringify(out)}))) throw new Error('loaded a source file: ' + loaded);
           console.log(JSON.stringify({ store: typeof es.PostgresEventStore, handle: typeof es.handle, kernel: Object.keys(sk).length, loaded: loaded.length }));`,
        ],
        { cwd: out },
        (error, stdout, stderr) => {
          if (error) return reject(new Error(`${error.message}\n${stderr}`));
          const result = JSON.parse(stdout) as { store: string; handle: string; kernel: number; loaded: number };
          expect(result).toMatchObject({ store: 'function', handle: 'function' });
          expect(result.kernel).toBeGreaterThan(0);
          expect(result.loaded).toBeGreaterThan(5);
          resolve();
        },
      );
    });
  });

  it('refuses a service that does not exist', () => {
    expect(() => build.build({ service: 'no-such-service', out })).toThrow('apps/no-such-service/src/main.ts does not exist');
  });

  // Each service that exists: the image's build step, then its entrypoint with no configuration.
  // It must load its whole module graph and stop at the configuration check (bootOrExit: 78).
  const cases = existingServices.map((s) => [s] as const);
  if (cases.length === 0) it.todo('builds and starts each service (none under apps/ yet)');
  else
    it.each(cases)('builds %s, needs only production dependencies, and node dist/main.js starts it', async (service) => {
      const dist = path.join(out, service);
      build.build({ service, out: dist });
      expect(statSync(path.join(dist, 'main.js')).isFile()).toBe(true);

      // The module graph node loads from main.js: relative requires followed, bare ones collected.
      const bare = new Set<string>();
      const seen = new Set<string>();
      const queue = [path.join(dist, 'main.js')];
      while (queue.length > 0) {
        const file = queue.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const [, spec] of readFileSync(file, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)) {
          if (!spec!.startsWith('.')) {
            bare.add(spec!);
            continue;
          }
          const target = path.resolve(path.dirname(file), spec!);
          const resolved = [target, `${target}.js`, path.join(target, 'index.js')].find((f) => existsSync(f) && statSync(f).isFile());
          if (resolved?.endsWith('.js')) queue.push(resolved);
        }
      }
      expect(seen.size).toBeGreaterThan(10);
      const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      const notProduction = [...bare]
        .filter((spec) => !spec.startsWith('node:') && !builtinModules.includes(spec.split('/')[0]!))
        .map(packageName)
        .filter((name) => !(name in pkg.dependencies));
      expect({ service, devOnlyOrMissingAtRuntime: [...new Set(notProduction)] }).toEqual({ service, devOnlyOrMissingAtRuntime: [] });

      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, ['main.js'], { cwd: dist, env: { PATH: process.env.PATH ?? '' }, timeout: 40_000 }, () => undefined);
        let err = '';
        child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.stdout!.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('exit', (exitCode) => resolve({ code: exitCode, stderr: err }));
      });
      expect(stderr).not.toMatch(/Cannot find module/);
      expect({ code, stderr: stderr.slice(0, 400) }).toEqual({ code: 78, stderr: expect.stringMatching(/DATABASE_URL|KAFKA_BROKERS|JWT_/) });
    }, 60_000);
});
