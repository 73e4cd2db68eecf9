import type { z } from 'zod';
import { fieldErrorsFrom, missingValueMessage } from '../validation/field-errors';

export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

/** Lists every bad variable at once, so an operator fixes a deployment in one round. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment against `schema` and returns the typed result.
 * Empty variables count as unset: `PORT=` in an env file or manifest means "not configured".
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(present, { error: missingValueMessage('required') });
  if (result.success) return result.data;
  throw new ConfigError(
    fieldErrorsFrom(result.error.issues).map(({ field, message }) => ({
      variable: field || '(environment)',
      message,
    })),
  );
}

/** sysexits.h: the configuration is wrong, so restarting the same pod will not help. */
export const EX_CONFIG = 78;

export interface BootIo {
  readonly stderr: { write(text: string): unknown };
  exit(code: number): void;
}

const processIo: BootIo = { stderr: process.stderr, exit: (code) => process.exit(code) };

/**
 * Runs a service's boot function; a `ConfigError` is printed without a stack and ends the
 * process with 78, any other failure with 1, so the orchestrator tells the two apart.
 */
export async function bootOrExit<T>(boot: () => T | Promise<T>, io: BootIo = processIo): Promise<T> {
  try {
    return await boot();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      io.exit(EX_CONFIG);
    } else {
      io.stderr.write(`Boot failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      io.exit(1);
    }
    throw error;
  }
}
