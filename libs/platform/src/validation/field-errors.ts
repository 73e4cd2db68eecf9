import type { z } from 'zod';

/** One invalid input, named by its path in the request body or the environment. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** `['intake', 'symptoms', 0]` -> `intake.symptoms[0]`, the way a client developer writes it. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const name = String(key);
    return out === '' ? name : `${out}.${name}`;
  }, '');
}

/** Passed to `safeParse` so an absent value reads `Required` (or `required`) instead of zod's type mismatch text. */
export function missingValueMessage(message: string): z.core.$ZodErrorMap {
  return (issue) => (issue.input === undefined ? message : undefined);
}

export function fieldErrorsFrom(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => ({ field: formatIssuePath(issue.path), message: issue.message }));
}
