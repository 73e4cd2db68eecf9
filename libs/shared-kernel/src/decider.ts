/** Who did something, in which role. Copied from the command into every event it produces. */
export interface Actor {
  /** Who signed in (the token's `sub`): for a patient, possibly a caregiver's account. */
  readonly id: string;
  readonly role: ActorRole;
  /**
   * For a patient actor, the patient they act as (the token's `patient_id` claim, mapped once in
   * libs/platform). Deciders compare a patient's record with this, never with `id` (issue 14).
   */
  readonly patientId?: string;
}

export type ActorRole = 'patient' | 'provider' | 'pharmacy' | 'payer' | 'ops' | 'system';

/**
 * What travels with a command and ends up in the audit trail: time, actor and the ids
 * that tie it to a request. Deciders read time from here; they never call a clock.
 */
export interface CommandMetadata {
  readonly now: Date;
  readonly actor: Actor;
  readonly correlationId: string;
  /**
   * Client-chosen id of this command (the HTTP `Idempotency-Key`). Event ids are derived
   * from it, so sending the same command twice appends nothing the second time.
   */
  readonly commandId?: string;
  /** The event or request that caused this command. */
  readonly causationId?: string;
  /** W3C trace context of the request, for the event store and Kafka headers. */
  readonly traceparent?: string;
  /** Why the actor is doing this (HIPAA minimum-necessary purpose of use), e.g. `treatment`. */
  readonly purpose?: string;
}

export interface Command<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: CommandMetadata;
}

/** A domain event as a decider sees it: an explicit type literal and its data. */
export interface Event<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Pure behaviour of one stream type. */
export interface Decider<C extends Command, E extends Event, S> {
  decide(command: C, state: S): E | readonly E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

/** Normalises `decide`'s result. */
export function asArray<E>(result: E | readonly E[]): readonly E[] {
  return Array.isArray(result) ? (result as readonly E[]) : [result as E];
}

/** Exhaustiveness check for `switch` statements over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
