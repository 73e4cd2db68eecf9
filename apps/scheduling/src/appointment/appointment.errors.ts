import { DomainError } from '@carebridge/shared-kernel';

// Stable codes (HTTP answers and DLQ reasons depend on them); kind picks the HTTP status at the edge.
export class ModalityNotOfferedError extends DomainError {
  readonly code = 'APPOINTMENT.MODALITY_NOT_OFFERED';
}
export class NotLicensedInStateError extends DomainError {
  readonly code = 'APPOINTMENT.PROVIDER_NOT_LICENSED_IN_STATE';
}
export class TriageReviewNotNeededError extends DomainError {
  readonly code = 'TRIAGE.REVIEW_NOT_NEEDED';
  override readonly kind = 'conflict';
}
export class TriageAlreadyReviewedError extends DomainError {
  readonly code = 'TRIAGE.ALREADY_REVIEWED';
  override readonly kind = 'conflict';
}
export class AppointmentExistsError extends DomainError {
  readonly code = 'APPOINTMENT.ALREADY_EXISTS';
  override readonly kind = 'conflict';
}
export class AppointmentNotFoundError extends DomainError {
  readonly code = 'APPOINTMENT.NOT_FOUND';
  override readonly kind = 'not-found';
}
export class AppointmentNotChangeableError extends DomainError {
  readonly code = 'APPOINTMENT.NOT_CHANGEABLE';
  override readonly kind = 'conflict';
}
export class AppointmentStartedError extends DomainError {
  readonly code = 'APPOINTMENT.ALREADY_STARTED';
}
export class AttachmentRefusedError extends DomainError {
  readonly code = 'ATTACHMENT.REFUSED';
}
export class TooManyAttachmentsError extends DomainError {
  readonly code = 'ATTACHMENT.TOO_MANY';
}
export class CheckInNotOpenError extends DomainError {
  readonly code = 'APPOINTMENT.CHECK_IN_NOT_OPEN';
}
export class CheckInClosedError extends DomainError {
  readonly code = 'APPOINTMENT.CHECK_IN_CLOSED';
}
export class GraceNotOverError extends DomainError {
  readonly code = 'APPOINTMENT.GRACE_PERIOD_NOT_OVER';
}
