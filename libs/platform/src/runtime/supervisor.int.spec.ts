import { spawn } from 'node:child_process';
import { eventually } from '@carebridge/testing';
import { ProcessSupervisor } from './supervisor';

// Issue 21 finding 2: one service dying stopped the whole local distributed platform.
const node = (script: string) => () => spawn(process.execPath, ['-e', script], { stdio: 'ignore' });

describe('a supervised service process', () => {
  it('is restarted after it dies, with a growing backoff, and says so', async () => {
    const lines: string[] = [];
    const supervisor = new ProcessSupervisor({
      name: 'flaky',
      spawn: node('setTimeout(() => process.exit(3), 20)'),
      initialBackoffMs: 10,
      maxBackoffMs: 40,
      log: (line) => lines.push(line),
    });
    supervisor.start();
    try {
      await eventually(() => (supervisor.restarts >= 3 ? true : undefined));
    } finally {
      await supervisor.stop();
    }
    expect(lines.slice(0, 3).map((line) => line.replace(/after [\d.]+ s/, 'after _ s'))).toEqual([
      'flaky exited (3) after _ s; restart 1 in 10 ms',
      'flaky exited (3) after _ s; restart 2 in 20 ms',
      'flaky exited (3) after _ s; restart 3 in 40 ms',
    ]);
  });

  it('comes back after SIGKILL while a sibling keeps running', async () => {
    const lines: string[] = [];
    const steady = () => spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    const victim = new ProcessSupervisor({ name: 'victim', spawn: steady, initialBackoffMs: 10, log: (line) => lines.push(line) });
    const sibling = new ProcessSupervisor({ name: 'sibling', spawn: steady, log: (line) => lines.push(line) });
    victim.start();
    sibling.start();
    try {
      const first = victim.child!.pid;
      const siblingPid = sibling.child!.pid;
      victim.child!.kill('SIGKILL');
      const second = await eventually(() => (victim.child && victim.child.pid !== first ? victim.child.pid : undefined));
      expect(second).not.toBe(first);
      expect(sibling.child?.pid).toBe(siblingPid);
      expect(lines).toEqual([expect.stringMatching(/^victim exited \(SIGKILL\) after [\d.]+ s; restart 1 in 10 ms$/)]);
    } finally {
      await Promise.all([victim.stop(), sibling.stop()]);
    }
  });

  it('is not restarted once stopped', async () => {
    const supervisor = new ProcessSupervisor({ name: 'done', spawn: node('setInterval(() => undefined, 1000)'), log: () => undefined });
    supervisor.start();
    await supervisor.stop();
    expect(supervisor.child).toBeUndefined();
    expect(supervisor.restarts).toBe(0);
  });
});
