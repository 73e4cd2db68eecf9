import type { FieldError } from '../validation/field-errors';

/** Why the request gate refuses a request: answered as problem+json by the gate's middleware. */
export class GateRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors?: readonly FieldError[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}

export const invalid = (errors: FieldError[]) =>
  new GateRefusal(400, 'REQUEST.INVALID', errors.map(({ field, message }) => `${field}: ${message}`).join('; '), errors);

