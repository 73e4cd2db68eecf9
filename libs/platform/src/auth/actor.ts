import type { Actor, ActorRole } from '@carebridge/shared-kernel';

/** Roles a person or organisation can sign in with; `system` is for the platform's own processes. */
export type HumanRole = Exclude<ActorRole, 'system'>;
export const HUMAN_ROLES: readonly HumanRole[] = ['patient', 'provider', 'pharmacy', 'payer', 'ops'];

/**
 * The verified caller. It is an `Actor`, so it goes straight into command metadata.
 *
 * One patient identity (issue 14): a patient is named by the `patient_id` claim, mapped here as
 * `patientId`, in every service; `id` (the `sub` claim) is who signed in and is what audit records
 * name as the actor. When the two differ (a caregiver's account acting for a patient), every
 * service serves `patient_id`'s record and none serves `sub`'s. A patient token without
 * `patient_id` reaches no patient's record.
 */
export interface AuthenticatedActor extends Actor {
  readonly id: string;
  readonly role: HumanRole;
  /** The patient's identity: the `patient_id` claim (never `sub`). */
  readonly patientId?: string;
  readonly providerId?: string;
  readonly pharmacyId?: string;
  readonly scopes: readonly string[];
}
