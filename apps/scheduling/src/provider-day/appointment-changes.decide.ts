import { checkInOpensAt, graceEndsAt, minutesLate } from './attendance.rules';
import { ATTACHMENT_TYPES, MAX_ATTACHMENTS_PER_APPOINTMENT, MAX_ATTACHMENT_BYTES } from './attachment.rules';
import type {
  AcceptMovedAppointment,
  AddIntakeAttachment,
  CancelAppointment,
  CheckIn,
  MarkNoShow,
  RecordCoverage,
  RecordIntakeRead,
  RecordNotificationUndelivered,
  RecordReminderSent,
  ReleaseMovedAppointment,
  RescheduleAppointment,
  ReviewTriage,
} from './provider-day.commands';
import {
  AppointmentExistsError,
  AppointmentNotChangeableError,
  AttachmentRefusedError,
  CheckInClosedError,
  CheckInNotOpenError,
  GraceNotOverError,
  TooManyAttachmentsError,
  TriageAlreadyReviewedError,
  TriageReviewNotNeededError,
} from './provider-day.errors';
import type { ProviderDayEvent } from './provider-day.events';
import type { ProviderDayState } from './provider-day.state';
import { appointmentsOf, changeable, checkSlot, findAppointment } from './provider-day.rules';

/** What happens to a booked appointment: triage review, cancel, reschedule and moves, attendance, records. */
export function decideReviewTriage(command: ReviewTriage, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const appointment = findAppointment(state, data.appointmentId);
  const booking = appointment.booking;
  if (booking.triage?.disposition !== 'needs-review') {
    throw new TriageReviewNotNeededError(`Appointment ${data.appointmentId} was not booked for review`);
  }
  if (appointment.triageReview !== undefined) {
    if (appointment.triageReview.decision === data.decision) return [];
    throw new TriageAlreadyReviewedError(`Appointment ${data.appointmentId} was already reviewed (${appointment.triageReview.decision})`);
  }
  const reviewed: ProviderDayEvent = {
    type: 'TriageReviewed',
    data: { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId, decision: data.decision, ...(data.note !== undefined && { note: data.note }) },
  };
  // In person or emergency: the video or phone visit should not happen; the patient is contacted.
  const cancel = data.decision !== 'virtual-ok' && !(data.decision === 'in-person' && booking.modality === 'in-person');
  if (!cancel || appointment.status !== 'booked' || Date.parse(booking.start) <= metadata.now.getTime()) return [reviewed];
  return [
    reviewed,
    {
      type: 'AppointmentCancelled',
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId, start: booking.start, end: booking.end, reasonCode: `triage-review-${data.decision}` },
    },
  ];
}

export function decideCancel(command: CancelAppointment, state: ProviderDayState): ProviderDayEvent[] {
  const booking = changeable(findAppointment(state, command.data.appointmentId), command.metadata.now);
  return [
    {
      type: 'AppointmentCancelled',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        patientId: booking.patientId,
        start: booking.start,
        end: booking.end,
        reasonCode: command.data.reasonCode,
      },
    },
  ];
}

export function decideReschedule(command: RescheduleAppointment, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const booking = changeable(findAppointment(state, data.appointmentId), metadata.now);
  checkSlot(state, data.to, data.terms, metadata.now, { appointmentId: booking.appointmentId });
  return [
    {
      type: 'AppointmentRescheduled',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        patientId: booking.patientId,
        from: { start: booking.start, end: booking.end },
        to: data.to,
        reasonCode: data.reasonCode,
      },
    },
  ];
}

export function decideAcceptMoved(command: AcceptMovedAppointment, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  if (appointmentsOf(state)[data.appointment.appointmentId] !== undefined) {
    throw new AppointmentExistsError(`Appointment ${data.appointment.appointmentId} is already on this day`);
  }
  checkSlot(state, data.to, data.terms, metadata.now, {});
  const { holdId: _hold, ...booking } = data.appointment;
  return [
    {
      type: 'AppointmentMovedIn',
      data: {
        ...booking,
        start: data.to.start,
        end: data.to.end,
        from: { start: data.appointment.start, end: data.appointment.end },
        reasonCode: data.reasonCode,
      },
    },
  ];
}

export function decideReleaseMoved(command: ReleaseMovedAppointment, state: ProviderDayState): ProviderDayEvent[] {
  const appointment = appointmentsOf(state)[command.data.appointmentId];
  if (appointment?.status === 'moved-out') return [];
  const booking = changeable(findAppointment(state, command.data.appointmentId), command.metadata.now);
  return [
    {
      type: 'AppointmentMovedOut',
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId, to: command.data.to },
    },
  ];
}

export function decideCheckIn(command: CheckIn, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const appointment = findAppointment(state, data.appointmentId);
  const reported = data.reportedBy !== undefined;
  // Checked in at both front doors (ours and visits' waiting room): recorded once.
  if (reported && appointment.status === 'checked-in') return [];
  if (appointment.status !== 'booked') {
    throw new AppointmentNotChangeableError(`Appointment ${data.appointmentId} is ${appointment.status}`);
  }
  const { booking } = appointment;
  if (!reported && metadata.now.getTime() < checkInOpensAt(booking.start, data.policy)) {
    throw new CheckInNotOpenError(`Check-in opens ${data.policy.checkInOpensMinutesBefore} minutes before the start`);
  }
  if (metadata.now.getTime() > graceEndsAt(booking.start, data.policy)) {
    throw new CheckInClosedError(`Check-in closed ${data.policy.graceMinutes} minutes after the start`);
  }
  return [
    {
      type: 'PatientCheckedIn',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        patientId: booking.patientId,
        minutesLate: minutesLate(booking.start, metadata.now),
      },
    },
  ];
}

export function decideNoShow(command: MarkNoShow, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const appointment = findAppointment(state, data.appointmentId);
  if (appointment.status === 'no-show') return [];
  if (data.scheduledStart !== undefined && data.scheduledStart !== appointment.booking.start) return [];
  if (appointment.status !== 'booked') {
    throw new AppointmentNotChangeableError(`Appointment ${data.appointmentId} is ${appointment.status}`);
  }
  if (metadata.now.getTime() <= graceEndsAt(appointment.booking.start, data.policy)) {
    throw new GraceNotOverError(`The grace period of ${data.policy.graceMinutes} minutes has not ended`);
  }
  const { booking } = appointment;
  return [
    {
      type: 'AppointmentNoShow',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        patientId: booking.patientId,
        start: booking.start,
        graceMinutes: data.policy.graceMinutes,
      },
    },
  ];
}

export function decideUndelivered(command: RecordNotificationUndelivered, state: ProviderDayState): ProviderDayEvent[] {
  const { data } = command;
  const appointment = appointmentsOf(state)[data.appointmentId];
  // Nothing was recorded as sent on this day for an appointment that is not here (moved out since).
  if (appointment === undefined || data.channels.length === 0) return [];
  const { booking } = appointment;
  return [
    {
      type: 'AppointmentNotificationUndelivered',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        patientId: booking.patientId,
        kind: data.kind,
        start: data.start,
        ...(data.minutesBefore !== undefined && { minutesBefore: data.minutesBefore }),
        channels: data.channels,
        reasons: data.reasons,
        attempts: data.attempts,
      },
    },
  ];
}

export function decideReminder(command: RecordReminderSent, state: ProviderDayState): ProviderDayEvent[] {
  const { data } = command;
  const appointment = appointmentsOf(state)[data.appointmentId];
  // Moved, cancelled or already done: the job is stale and sends nothing.
  if (appointment === undefined || appointment.status !== 'booked' || appointment.booking.start !== data.start) return [];
  if (appointment.reminders.includes(`${data.minutesBefore}@${data.start}`)) return [];
  const { booking } = appointment;
  return [
    {
      type: 'AppointmentReminderSent',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        patientId: booking.patientId,
        start: booking.start,
        minutesBefore: data.minutesBefore,
        channels: data.channels,
      },
    },
  ];
}

export function decideCoverage(command: RecordCoverage, state: ProviderDayState): ProviderDayEvent[] {
  const appointment = findAppointment(state, command.data.appointmentId);
  const { booking } = appointment;
  return [
    {
      type: 'AppointmentCoverageRecorded',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        patientId: booking.patientId,
        determinationId: command.data.determinationId,
        outcome: command.data.outcome,
        reasonCodes: command.data.reasonCodes,
      },
    },
  ];
}

export function decideIntakeRead(command: RecordIntakeRead, state: ProviderDayState): ProviderDayEvent[] {
  const { booking } = findAppointment(state, command.data.appointmentId);
  return [
    {
      type: 'IntakeRead',
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId, purpose: command.data.purpose },
    },
  ];
}

export function decideAttachment(command: AddIntakeAttachment, state: ProviderDayState): ProviderDayEvent[] {
  const { data } = command;
  const appointment = findAppointment(state, data.appointmentId);
  const booking = changeable(appointment, command.metadata.now);
  if (!(ATTACHMENT_TYPES as readonly string[]).includes(data.contentType) || data.sizeBytes < 1 || data.sizeBytes > MAX_ATTACHMENT_BYTES) {
    throw new AttachmentRefusedError(`Attachments must be ${ATTACHMENT_TYPES.join(', ')} of at most ${MAX_ATTACHMENT_BYTES} bytes`);
  }
  if (appointment.attachments.some((a) => a.sha256 === data.sha256)) return [];
  if (appointment.attachments.length >= MAX_ATTACHMENTS_PER_APPOINTMENT) {
    throw new TooManyAttachmentsError(`At most ${MAX_ATTACHMENTS_PER_APPOINTMENT} attachments per appointment`);
  }
  return [
    {
      type: 'IntakeAttachmentAdded',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        patientId: booking.patientId,
        sha256: data.sha256,
        contentType: data.contentType,
        sizeBytes: data.sizeBytes,
      },
    },
  ];
}

