/** The typed errors of the visit decider, each with its stable code. */
import { DomainError } from '@carebridge/shared-kernel';
import type { VisitStatus } from './visit.state';

// ---------------------------------------------------------------- errors

export class VisitNotFoundError extends DomainError {
  readonly code = 'VISIT.NOT_FOUND';
  override readonly kind = 'not-found';
}
/** A transition the visit's current state does not allow; the message names that state. */
export class VisitStateConflictError extends DomainError {
  readonly code = 'VISIT.WRONG_STATE';
  override readonly kind = 'conflict';
  constructor(current: VisitStatus, action: string, allowed: readonly VisitStatus[]) {
    super(`The visit is ${current}: ${action} needs it ${allowed.join(' or ')}`, { currentState: current });
  }
}
export class NotParticipantError extends DomainError {
  readonly code = 'VISIT.NOT_A_PARTICIPANT';
  override readonly kind = 'forbidden';
}
export class NotAttendingError extends DomainError {
  readonly code = 'VISIT.NOT_ATTENDING';
  override readonly kind = 'forbidden';
}
export class CheckInNotOpenError extends DomainError {
  readonly code = 'VISIT.CHECK_IN_NOT_OPEN';
}
export class DeviceCheckRequiredError extends DomainError {
  readonly code = 'VISIT.DEVICE_CHECK_REQUIRED';
}
export class ProviderNotLicensedError extends DomainError {
  readonly code = 'VISIT.PROVIDER_NOT_LICENSED';
}
export class VitalsOutOfRangeError extends DomainError {
  readonly code = 'VITALS.OUT_OF_RANGE';
}
export class VideoOutageTooShortError extends DomainError {
  readonly code = 'VISIT.VIDEO_NOT_LOST_LONG_ENOUGH';
}
export class ModalityNotAllowedError extends DomainError {
  readonly code = 'VISIT.MODALITY_NOT_ALLOWED';
}
export class InPersonExamRequiredError extends DomainError {
  readonly code = 'VISIT.IN_PERSON_EXAM_REQUIRED';
}
export class OutcomeIncompleteError extends DomainError {
  readonly code = 'VISIT.OUTCOME_INCOMPLETE';
}
export class TooManyAttachmentsError extends DomainError {
  readonly code = 'ATTACHMENT.TOO_MANY';
}
export class UnknownAttachmentError extends DomainError {
  readonly code = 'ATTACHMENT.UNKNOWN';
}
export class ConsultNotFoundError extends DomainError {
  readonly code = 'CONSULT.NOT_FOUND';
  override readonly kind = 'not-found';
}
export class ProviderAlreadyAssignedError extends DomainError {
  readonly code = 'VISIT.PROVIDER_ALREADY_ASSIGNED';
  override readonly kind = 'conflict';
}
export class NoRedFlagError extends DomainError {
  readonly code = 'VISIT.NO_RED_FLAG';
}
