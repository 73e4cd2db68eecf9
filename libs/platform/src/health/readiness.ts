/** One dependency the service cannot serve without. */
export interface ReadinessCheck {
  readonly name: string;
  /**
   * false: reported in the details but the instance stays ready without it (the Kafka broker: the
   * outbox relay decouples writes from it, so a broker outage must not become an API outage).
   */
  readonly required?: boolean;
  /** Resolves when the dependency answers; rejects (or takes too long) otherwise. */
  check(): Promise<void>;
  /** Releases connections the check opened itself. */
  close?(): Promise<void>;
}

export interface CheckReport {
  readonly status: 'up' | 'down';
  readonly durationMs: number;
  readonly error?: string;
  /** Present (false) only for a check the instance can serve without. */
  readonly required?: false;
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
      const optional = check.required === false ? { required: false as const } : {};
      try {
        await withTimeout(check.check(), timeoutMs);
        return [check.name, { status: 'up', durationMs: elapsedSince(started), ...optional }];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [check.name, { status: 'down', durationMs: elapsedSince(started), error: message, ...optional }];
      }
    }),
  );
  return {
    status: reports.every(([, report]) => report.status === 'up' || report.required === false) ? 'ready' : 'unavailable',
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
