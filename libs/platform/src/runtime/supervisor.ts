import type { ChildProcess } from 'node:child_process';

export interface SupervisorOptions {
  readonly name: string;
  /** Starts the process; called again after every exit until stop(). */
  readonly spawn: () => ChildProcess;
  /** First restart delay, doubled while the process keeps dying young (default 500 ms, at most maxMs = 10 s). */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** A run that lasted this long resets the backoff (default 30 s). */
  readonly healthyAfterMs?: number;
  readonly log: (message: string) => void;
}

/**
 * Keeps one service process running, as Kubernetes does in production: an exit that nobody asked
 * for is logged and followed by a restart after a backoff, and the other services keep running.
 */
export class ProcessSupervisor {
  private current?: ChildProcess;
  private startedAt = 0;
  private backoffMs: number;
  private stopping = false;
  private timer?: NodeJS.Timeout;
  restarts = 0;

  constructor(private readonly options: SupervisorOptions) {
    this.backoffMs = options.initialBackoffMs ?? 500;
  }

  get name(): string {
    return this.options.name;
  }

  /** The running process, if any (undefined while waiting to restart). */
  get child(): ChildProcess | undefined {
    return this.current && this.current.exitCode === null && this.current.signalCode === null ? this.current : undefined;
  }

  start(): void {
    this.stopping = false;
    this.launch();
  }

  private launch(): void {
    const child = this.options.spawn();
    this.current = child;
    this.startedAt = Date.now();
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const ranMs = Date.now() - this.startedAt;
      if (ranMs >= (this.options.healthyAfterMs ?? 30_000)) this.backoffMs = this.options.initialBackoffMs ?? 500;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.options.maxBackoffMs ?? 10_000, this.backoffMs * 2);
      this.restarts++;
      this.options.log(`${this.options.name} exited (${signal ?? code}) after ${(ranMs / 1000).toFixed(1)} s; restart ${this.restarts} in ${delay} ms`);
      this.timer = setTimeout(() => this.launch(), delay);
    });
  }

  /** Stops supervising and ends the process (`signal`, then SIGKILL after `graceMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 30_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(kill);
  }
}
