/** One dependency the service cannot serve without. */
export interface ReadinessCheck {
  readonly name: string;
  /** Resolves when the dependency answers; rejects (or takes too long) otherwise. */
  check(): Promise<void>;
  /** Releases connections the check opened itself. */
  close?(): Promise<void>;
}

export interface CheckReport {
  readonly status: 'up' | 'down';
  readonly durationMs: number;
  readonly error?: string;
}

export interface ReadinessReport {
  readonly status: 'ready' | 'unavailable';
  readonly checks: Readonly<Record<string, CheckReport>>;
  /** What ops must act on soon without the instance being unready (e.g. a rule set ending with no successor). */
  readonly warnings?: readonly string[];
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

/** Runs the checks in parallel; one that has not answered within `timeoutMs` counts as down. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const reports = await Promise.all(
    checks.map(async (check): Promise<[string, CheckReport]> => {
      const started = performance.now();
      try {
        await withTimeout(check.check(), timeoutMs);
        return [check.name, { status: 'up', durationMs: elapsedSince(started) }];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [check.name, { status: 'down', durationMs: elapsedSince(started), error: message }];
      }
    }),
  );
  return {
    status: reports.every(([, report]) => report.status === 'up') ? 'ready' : 'unavailable',
    checks: Object.fromEntries(reports),
  };
}

function withTimeout(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}
