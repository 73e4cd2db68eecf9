import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { hangTimeouts } from '@carebridge/testing';

export interface SpawnedPlatform {
  readonly url: string;
  /** The platform's process (its memory can be read from /proc/<pid>/status). */
  readonly pid: number;
  readonly output: string[];
  token(role: string, sub?: string): Promise<string>;
  stop(): Promise<number | null>;
}

const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * `npm start`'s embedded platform (tools/embedded/main.ts) in a child process, with PostgreSQL,
 * Kafka and Redis addresses pointing at closed ports: nothing may dial them.
 */
export async function spawnPlatform(dataDir: string, extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<SpawnedPlatform> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', path.join(repoRoot, 'tools/embedded/main.ts'), '--port', '0', '--data-dir', dataDir, ...extraArgs],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: 'tsconfig.json',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:9/unreachable',
        KAFKA_BROKERS: '127.0.0.1:9',
        REDIS_URL: 'redis://127.0.0.1:9',
        LOG_LEVEL: 'warn',
        CAREBRIDGE_TOKENS_FILE: path.join(dataDir, 'dev-tokens.json'),
        // The tests sign in with development tokens: asked for explicitly (issue 14).
        CAREBRIDGE_DEV_TOKENS: 'true',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  const exited = once(child, 'exit');
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    const limit = hangTimeouts.platformReady;
    const timer = setTimeout(() => reject(new Error(`platform not ready after ${limit} ms:\n${output.join('\n')}`)), limit);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const ready = /ready in .* — (http:\/\/\S+)/.exec(line);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`platform exited before it was ready:\n${output.join('\n')}`));
    });
  });
  return {
    url,
    pid: child.pid!,
    output,
    async token(role, sub) {
      const response = await fetch(`${url}/dev/token?role=${role}${sub ? `&sub=${sub}` : ''}`);
      return ((await response.json()) as { token: string }).token;
    },
    async stop() {
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}
