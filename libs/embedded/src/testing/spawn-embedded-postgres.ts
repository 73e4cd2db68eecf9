import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Starts embedded PostgreSQL in a child process; resolves with its connection string and a stop(). */
export async function spawnEmbeddedPostgres(dataDir?: string): Promise<{ connectionString: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'embedded-postgres-process.ts')], {
    cwd: path.resolve(__dirname, '../../../..'),
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.json', ...(dataDir && { DATA_DIR: dataDir }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const connectionString = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        resolve((JSON.parse(line) as { connectionString: string }).connectionString);
      } catch {
        // not our line
      }
    });
    void exited.then(() => reject(new Error('embedded PostgreSQL exited before listening')));
  });
  return {
    connectionString,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
