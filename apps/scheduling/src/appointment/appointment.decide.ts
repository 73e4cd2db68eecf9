import { intakeTexts, triage, triageRecord } from '@carebridge/clinical-reference';
import { ATTACHMENT_TYPES, MAX_ATTACHMENTS_PER_APPOINTMENT, MAX_ATTACHMENT_BYTES } from './attachment.rules';
import { checkInOpensAt, graceEndsAt, minutesLate } from './attendance.rules';
import type {
  AddIntakeAttachment,
  BookAppointment,
  CancelAppointment,
  CheckIn,
  MarkNoShow,
  RecordCoverage,
  RecordIntakeRead,
  RecordNotificationUndelivered,
  RecordReminderSent,
  RescheduleAppointment,
  ReviewTriage,
} from './appointment.commands';
import {
  AppointmentExistsError,
  AppointmentNotChangeableError,
  AttachmentRefusedError,
  CheckInClosedError,
  CheckInNotOpenError,
  GraceNotOverError,
  ModalityNotOfferedError,
  TooManyAttachmentsError,
  TriageAlreadyReviewedError,
  TriageReviewNotNeededError,
} from './appointment.errors';
import type { AppointmentEvent, BillingFacts } from './appointment.events';
import { type AppointmentState, isBooked } from './appointment.state';
import { booked, changeable, checkLicensed, triageReviewCancels } from './appointment.rules';

/** One function per command of the appointment stream; the provider's time is the day's to decide. */
export function decideBook(command: BookAppointment, state: AppointmentState): AppointmentEvent[] {
  const { data } = command;
  if (state.status !== 'none') throw new AppointmentExistsError(`Appointment ${data.appointmentId} already exists`);
  // Triage is an answer, not an error: an emergency or an in-person need books nothing and says why.
  const result = triage({ symptoms: data.intake.symptoms, texts: intakeTexts(data.reason, data.intake) });
  const who = { patientId: data.patientId, providerId: data.terms.providerId };
  if (result.disposition === 'emergency') {
    return [
      {
        type: 'EmergencyRedirected',
        data: { ...who, redFlags: result.rules, rulesSource: result.rulesVersion, guidance: result.guidance!, crisis: result.crisis, matches: result.matches },
      },
    ];
  }
  if (result.disposition === 'in-person' && data.modality !== 'in-person') {
    return [
      {
        type: 'InPersonRedirected',
        data: {
          ...who,
          requestedModality: data.modality,
          requestedStart: data.slot.start,
          rules: result.rules,
          rulesSource: result.rulesVersion,
          guidance: result.guidance!,
          matches: result.matches,
        },
      },
    ];
  }
  if (!data.terms.modalities.includes(data.modality)) {
    throw new ModalityNotOfferedError(`Provider ${data.terms.providerId} does not offer ${data.modality} visits`);
  }
  checkLicensed(data.terms, data.modality, data.patientState, data.slot);
  return [
    {
      type: 'AppointmentBooked',
      data: {
        appointmentId: data.appointmentId,
        providerId: data.terms.providerId,
        patientId: data.patientId,
        start: data.slot.start,
        end: data.slot.end,
        modality: data.modality,
        patientState: data.patientState,
        reason: data.reason,
        intake: data.intake,
        ...(data.series !== undefined && { series: data.series }),
        ...(data.groupSessionId !== undefined && { groupSessionId: data.groupSessionId }),
        ...(data.additionalProviderIds !== undefined && data.additionalProviderIds.length > 0 && { additionalProviderIds: [...data.additionalProviderIds] }),
        triage: triageRecord(result),
        ...billingFacts(command),
      },
    },
  ];
}

function billingFacts(command: BookAppointment): BillingFacts {
  const { data } = command;
  return {
    ...(data.serviceCodes !== undefined && { serviceCodes: [...data.serviceCodes] }),
    ...(data.visitPurpose !== undefined && { visitPurpose: data.visitPurpose }),
    ...(data.patientSetting !== undefined && { patientSetting: data.patientSetting }),
    ...(data.terms.licences !== undefined && { providerLicences: data.terms.licences.map((l) => ({ ...l })) }),
  };
}

export function decideReviewTriage(command: ReviewTriage, state: AppointmentState): AppointmentEvent[] {
  const { data, metadata } = command;
  const appointment = booked(state, data.appointmentId);
  const booking = appointment.booking;
  if (booking.triage?.disposition !== 'needs-review') {
    throw new TriageReviewNotNeededError(`Appointment ${data.appointmentId} was not booked for review`);
  }
  if (appointment.triageReview !== undefined) {
    if (appointment.triageReview.decision === data.decision) return [];
    throw new TriageAlreadyReviewedError(`Appointment ${data.appointmentId} was already reviewed (${appointment.triageReview.decision})`);
  }
  const who = { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId };
  const reviewed: AppointmentEvent = { type: 'TriageReviewed', data: { ...who, decision: data.decision, ...(data.note !== undefined && { note: data.note }) } };
  if (!triageReviewCancels(appointment, data.decision, metadata.now)) return [reviewed];
  return [
    reviewed,
    { type: 'AppointmentCancelled', data: { ...who, start: booking.start, end: booking.end, reasonCode: `triage-review-${data.decision}` } },
  ];
}

export function decideCancel(command: CancelAppointment, state: AppointmentState): AppointmentEvent[] {
  const booking = changeable(booked(state, command.data.appointmentId), command.metadata.now);
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

export function decideReschedule(command: RescheduleAppointment, state: AppointmentState): AppointmentEvent[] {
  const { data, metadata } = command;
  const booking = changeable(booked(state, data.appointmentId), metadata.now);
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

export function decideCheckIn(command: CheckIn, state: AppointmentState): AppointmentEvent[] {
  const { data, metadata } = command;
  const appointment = booked(state, data.appointmentId);
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
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId, minutesLate: minutesLate(booking.start, metadata.now) },
    },
  ];
}

export function decideNoShow(command: MarkNoShow, state: AppointmentState): AppointmentEvent[] {
  const { data, metadata } = command;
  const appointment = booked(state, data.appointmentId);
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
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId, start: booking.start, graceMinutes: data.policy.graceMinutes },
    },
  ];
}

export function decideUndelivered(command: RecordNotificationUndelivered, state: AppointmentState): AppointmentEvent[] {
  const { data } = command;
  if (!isBooked(state) || data.channels.length === 0) return [];
  const { booking } = state;
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

export function decideReminder(command: RecordReminderSent, state: AppointmentState): AppointmentEvent[] {
  const { data } = command;
  // Moved, cancelled or already done: the job is stale and sends nothing.
  if (!isBooked(state) || state.status !== 'booked' || state.booking.start !== data.start) return [];
  if (state.reminders.includes(`${data.minutesBefore}@${data.start}`)) return [];
  const { booking } = state;
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

export function decideCoverage(command: RecordCoverage, state: AppointmentState): AppointmentEvent[] {
  const { booking } = booked(state, command.data.appointmentId);
  const { determinationId, outcome, reasonCodes } = command.data;
  return [
    {
      type: 'AppointmentCoverageRecorded',
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId, determinationId, outcome, reasonCodes },
    },
  ];
}

export function decideIntakeRead(command: RecordIntakeRead, state: AppointmentState): AppointmentEvent[] {
  const { booking } = booked(state, command.data.appointmentId);
  return [
    {
      type: 'IntakeRead',
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId, purpose: command.data.purpose },
    },
  ];
}

export function decideAttachment(command: AddIntakeAttachment, state: AppointmentState): AppointmentEvent[] {
  const { data } = command;
  const appointment = booked(state, data.appointmentId);
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
