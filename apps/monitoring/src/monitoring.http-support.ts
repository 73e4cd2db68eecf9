import { type AuthenticatedActor, RequestValidationError } from '@carebridge/platform';
import { DomainError } from '@carebridge/shared-kernel';
import { z } from 'zod';
import type { MonitoredPatient } from './enrolment/monitored-patients.projection';

export class NotOwnerError extends DomainError {
  readonly code = 'ACCESS.NOT_OWNER';
  override readonly kind = 'forbidden';
}
export class PatientNotFoundError extends DomainError {
  readonly code = 'MONITORING.PATIENT_NOT_FOUND';
  override readonly kind = 'not-found';
}

/** Who may see a monitored patient's data: the patient, a provider of their care team, ops. */
export function assertMaySee(actor: AuthenticatedActor, patient: MonitoredPatient | undefined, patientId: string): MonitoredPatient {
  if (actor.role === 'patient' && actor.patientId === patientId) {
    if (!patient) throw new PatientNotFoundError('The patient is not enrolled in monitoring');
    return patient;
  }
  if (actor.role === 'ops' || (actor.role === 'provider' && patient !== undefined && actor.providerId !== undefined && patient.careTeam.includes(actor.providerId))) {
    if (!patient) throw new PatientNotFoundError('The patient is not enrolled in monitoring');
    return patient;
  }
  throw new NotOwnerError('You may not see this patient');
}

/** Clinical actions (acknowledge, adjust, log minutes): a provider of the care team, or ops. */
export function assertCareTeam(actor: AuthenticatedActor, patient: MonitoredPatient | undefined): MonitoredPatient {
  if (actor.role === 'ops' && patient) return patient;
  if (actor.role === 'provider' && patient && actor.providerId !== undefined && patient.careTeam.includes(actor.providerId)) return patient;
  if (!patient && (actor.role === 'ops' || actor.role === 'provider')) throw new PatientNotFoundError('The patient is not enrolled in monitoring');
  throw new NotOwnerError('Only the patient\'s care team may do this');
}

/** Re-exported for this service's handlers: one definition in libs/platform. */
export { optionalIdempotencyKey, requireIdempotencyKey } from '@carebridge/platform';

export const uuidParam = (name: string, value: string): string => {
  if (!z.uuid().safeParse(value).success) throw new RequestValidationError([{ field: name, message: 'Invalid UUID' }]);
  return value.toLowerCase();
};

/** Re-exported for this service's handlers: one definition in libs/platform. */
export { commandMetadata } from '@carebridge/platform';
