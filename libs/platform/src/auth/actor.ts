import type { Actor, ActorRole } from '@carebridge/shared-kernel';

/** Roles a person or organisation can sign in with; `system` is for the platform's own processes. */
export type HumanRole = Exclude<ActorRole, 'system'>;
export const HUMAN_ROLES: readonly HumanRole[] = ['patient', 'provider', 'pharmacy', 'payer', 'ops'];

/** The verified caller. It is an `Actor`, so it goes straight into command metadata. */
export interface AuthenticatedActor extends Actor {
  readonly id: string;
  readonly role: HumanRole;
  readonly patientId?: string;
  readonly providerId?: string;
  readonly pharmacyId?: string;
  readonly scopes: readonly string[];
}
