/**
 * Base of every business rule violation. `code` is a stable, namespaced identifier
 * (`APPOINTMENT.SLOT_TAKEN`) that clients may branch on; the message is for humans.
 * Mapping to HTTP status happens at the edge (libs/platform), never here.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  /** Which kind of failure this is, so the edge can choose a status without knowing every code. */
  readonly kind: DomainErrorKind = 'rule';
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/**
 * rule: the command breaks a business rule (422). conflict: state changed or already exists (409).
 * not-found: the aggregate does not exist (404). invalid: malformed input (400).
 * forbidden: the actor may not do this (403).
 */
export type DomainErrorKind = 'rule' | 'conflict' | 'not-found' | 'invalid' | 'forbidden';

/** For rules that do not deserve their own class. */
export class RuleViolation extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    details: Record<string, unknown> = {},
    override readonly kind: DomainErrorKind = 'rule',
  ) {
    super(message, details);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
