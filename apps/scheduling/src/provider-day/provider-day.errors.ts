import { DomainError } from '@carebridge/shared-kernel';

// Stable codes (HTTP answers and DLQ reasons depend on them); kind picks the HTTP status at the edge.
export class SlotTakenError extends DomainError {
  readonly code = 'APPOINTMENT.SLOT_TAKEN';
  override readonly kind = 'conflict';
}
export class SlotInPastError extends DomainError {
  readonly code = 'APPOINTMENT.SLOT_IN_PAST';
}
export class OutsideAvailabilityError extends DomainError {
  readonly code = 'APPOINTMENT.OUTSIDE_AVAILABILITY';
}
export class GroupSessionFullError extends DomainError {
  readonly code = 'GROUP_SESSION.FULL';
  override readonly kind = 'conflict';
}
export class GroupSessionNotFoundError extends DomainError {
  readonly code = 'GROUP_SESSION.NOT_FOUND';
  override readonly kind = 'not-found';
}
export class OverrideNotAllowedError extends DomainError {
  readonly code = 'APPOINTMENT.OVERRIDE_NOT_ALLOWED';
  override readonly kind = 'forbidden';
}
