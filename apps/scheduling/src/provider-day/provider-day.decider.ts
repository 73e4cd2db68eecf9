import { type Command, type Decider, DomainError, assertNever } from '@carebridge/shared-kernel';
import type { Modality, ProviderLicence } from '../provider/provider.events';
import {
  type AttendancePolicy,
  checkInOpensAt,
  graceEndsAt,
  minutesLate,
} from './attendance.rules';
import type {
  AppointmentBooked,
  AppointmentParticipantBooked,
  BillingFacts,
  CoverageOutcome,
  Intake,
  Interval,
  IntakeTriage,
  PatientSetting,
  ProviderDayEvent,
  TriageReviewDecision,
  TriageReviewed,
  VisitPurpose,
} from './provider-day.events';
import { licensedOn } from './licensure.rules';
import { ATTACHMENT_TYPES, MAX_ATTACHMENTS_PER_APPOINTMENT, MAX_ATTACHMENT_BYTES } from './attachment.rules';
import { intakeTexts, triage, triageRecord } from '@carebridge/clinical-reference';

/**
 * What the day's decider needs to know about the provider, read from the provider stream by the
 * caller: the slots their availability offers on this day (computed in their time zone) and
 * what they may do. The decider stays pure; time-zone arithmetic happens in availability.slots.ts.
 */
export interface ProviderTerms {
  readonly providerId: string;
  readonly licensedStates: readonly string[];
  readonly modalities: readonly Modality[];
  readonly offeredSlots: readonly Interval[];
  /** Licences with their expiry where known; when given, an expired licence does not license. */
  readonly licences?: readonly ProviderLicence[];
}

export type HoldSlot = Command<
  'HoldSlot',
  { holdId: string; patientId: string; slot: Interval; holdMinutes: number; terms: ProviderTerms }
>;
export type BookAppointment = Command<
  'BookAppointment',
  {
    appointmentId: string;
    patientId: string;
    slot: Interval;
    modality: Modality;
    patientState: string;
    reason: string;
    intake: Intake;
    holdId?: string;
    /** Only a scheduler (ops) may book over other bookings, with a reason. */
    override?: { reasonCode: string };
    series?: { seriesId: string; occurrence: number; of: number };
    /** A seat in this group session instead of the provider's time to oneself. */
    groupSessionId?: string;
    /** Other providers taking part; each of their day streams gets a BookParticipant in the same write. */
    additionalProviderIds?: readonly string[];
    serviceCodes?: readonly string[];
    visitPurpose?: VisitPurpose;
    patientSetting?: PatientSetting;
    terms: ProviderTerms;
  }
>;
/** A further provider of a multi-provider appointment: their time is taken on their own day stream. */
export type BookParticipant = Command<
  'BookParticipant',
  {
    appointmentId: string;
    leadProviderId: string;
    patientId: string;
    slot: Interval;
    modality: Modality;
    patientState: string;
    terms: ProviderTerms;
  }
>;
/** The appointment moved within this provider's day. */
export type MoveParticipant = Command<'MoveParticipant', { appointmentId: string; to: Interval; terms: ProviderTerms }>;
/** Cancelled, or moved to another day of this provider: the time is free again. */
export type ReleaseParticipant = Command<'ReleaseParticipant', { appointmentId: string; reasonCode: string }>;
export type ScheduleGroupSession = Command<
  'ScheduleGroupSession',
  { sessionId: string; slot: Interval; capacity: number; terms: ProviderTerms }
>;
export type CancelAppointment = Command<'CancelAppointment', { appointmentId: string; reasonCode: string }>;
export type RescheduleAppointment = Command<
  'RescheduleAppointment',
  { appointmentId: string; to: Interval; reasonCode: string; terms: ProviderTerms }
>;
export type AcceptMovedAppointment = Command<
  'AcceptMovedAppointment',
  { appointment: AppointmentBooked['data']; to: Interval; reasonCode: string; terms: ProviderTerms }
>;
export type ReleaseMovedAppointment = Command<'ReleaseMovedAppointment', { appointmentId: string; to: Interval }>;
/**
 * `reportedBy: 'visits'`: the patient checked in in visits' waiting room (metadata.now is the
 * time visits recorded). visits' window opens earlier than ours, so its opening is not checked
 * again; lateness still is (the grace period is ours), and a second check-in is a no-op.
 */
export type CheckIn = Command<'CheckIn', { appointmentId: string; policy: AttendancePolicy; reportedBy?: 'visits' }>;
/** `scheduledStart`: the start the no-show job was scheduled for; a job of an earlier time does nothing. */
export type MarkNoShow = Command<'MarkNoShow', { appointmentId: string; policy: AttendancePolicy; scheduledStart?: string }>;
/** From the reminder job: `start` is the time the job was scheduled for, so a stale job does nothing. */
export type RecordReminderSent = Command<
  'RecordReminderSent',
  { appointmentId: string; start: string; minutesBefore: number; channels: readonly ('sms' | 'email')[] }
>;

/** From the job's last failed attempt: the reminder or invitation it recorded did not reach the patient. */
export type RecordNotificationUndelivered = Command<
  'RecordNotificationUndelivered',
  {
    appointmentId: string;
    kind: 'reminder' | 'no-show';
    start: string;
    minutesBefore?: number;
    channels: readonly ('sms' | 'email')[];
    reasons: readonly string[];
    attempts: number;
  }
>;

export type RecordCoverage = Command<
  'RecordCoverage',
  { appointmentId: string; determinationId: string; outcome: CoverageOutcome; reasonCodes: readonly string[] }
>;

export type RecordIntakeRead = Command<'RecordIntakeRead', { appointmentId: string; purpose: string }>;

/** A nurse or provider's review of a needs-review intake. */
export type ReviewTriage = Command<'ReviewTriage', { appointmentId: string; decision: TriageReviewDecision; note?: string }>;

export type AddIntakeAttachment = Command<
  'AddIntakeAttachment',
  { appointmentId: string; sha256: string; contentType: string; sizeBytes: number }
>;

export type ProviderDayCommand =
  | BookParticipant
  | MoveParticipant
  | ReleaseParticipant
  | HoldSlot
  | ScheduleGroupSession
  | BookAppointment
  | CancelAppointment
  | RescheduleAppointment
  | AcceptMovedAppointment
  | ReleaseMovedAppointment
  | CheckIn
  | MarkNoShow
  | RecordReminderSent
  | RecordNotificationUndelivered
  | RecordCoverage
  | RecordIntakeRead
  | AddIntakeAttachment
  | ReviewTriage;

export type AppointmentStatus = 'booked' | 'checked-in' | 'cancelled' | 'moved-out' | 'no-show';

export interface DayAppointment {
  readonly status: AppointmentStatus;
  readonly booking: AppointmentBooked['data'];
  /** `<minutesBefore>@<start>` of reminders already sent. */
  readonly reminders: readonly string[];
  readonly attachments: readonly { sha256: string; contentType: string; sizeBytes: number }[];
  readonly triageReview?: TriageReviewed['data'];
}

export interface Hold {
  readonly holdId: string;
  readonly patientId: string;
  readonly start: string;
  readonly end: string;
  readonly expiresAt: string;
}

/** This provider's part in another provider's appointment (specialist consult, care team). */
export interface Participation {
  readonly status: 'active' | 'released';
  readonly booking: AppointmentParticipantBooked['data'];
}

export type ProviderDayState =
  | { readonly status: 'empty' }
  | {
      readonly status: 'open';
      readonly participations: Readonly<Record<string, Participation>>;
      readonly holds: readonly Hold[];
      readonly appointments: Readonly<Record<string, DayAppointment>>;
      readonly sessions: Readonly<Record<string, { readonly start: string; readonly end: string; readonly capacity: number }>>;
    };

// --- errors (stable codes; kind picks the HTTP status at the edge) ---
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

// --- rules ---
const TELEHEALTH: readonly Modality[] = ['video', 'phone'];

const overlaps = (a: Interval, b: Interval): boolean =>
  Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);

const appointmentsOf = (state: ProviderDayState): Readonly<Record<string, DayAppointment>> =>
  state.status === 'open' ? state.appointments : {};

const holdsOf = (state: ProviderDayState): readonly Hold[] => (state.status === 'open' ? state.holds : []);

/** Ids of the booked and checked-in appointments and unexpired holds that overlap `slot`. */
function overlapping(state: ProviderDayState, slot: Interval, now: Date, except: { holdId?: string; appointmentId?: string }): string[] {
  // Seats of a group session ride on the session, which holds the provider's time.
  const appointments = Object.values(appointmentsOf(state))
    .filter((a) => (a.status === 'booked' || a.status === 'checked-in') && a.booking.appointmentId !== except.appointmentId)
    .filter((a) => a.booking.groupSessionId === undefined && overlaps(a.booking, slot))
    .map((a) => a.booking.appointmentId);
  const sessions = Object.entries(state.status === 'open' ? state.sessions : {})
    .filter(([, session]) => overlaps(session, slot))
    .map(([sessionId]) => sessionId);
  const holds = holdsOf(state)
    .filter((h) => Date.parse(h.expiresAt) > now.getTime() && h.holdId !== except.holdId && overlaps(h, slot))
    .map((h) => h.holdId);
  const participations = Object.values(state.status === 'open' ? state.participations : {})
    .filter((p) => p.status === 'active' && p.booking.appointmentId !== except.appointmentId && overlaps(p.booking, slot))
    .map((p) => p.booking.appointmentId);
  return [...appointments, ...sessions, ...holds, ...participations];
}

function checkLicensed(terms: ProviderTerms, modality: Modality, patientState: string, slot: Interval): void {
  // A telehealth visit is lawful only where the provider is licensed and the patient is at visit time.
  if (!TELEHEALTH.includes(modality)) return;
  const licensed = terms.licences
    ? licensedOn(terms.licences, patientState, slot.start)
    : terms.licensedStates.includes(patientState);
  if (!licensed) {
    throw new NotLicensedInStateError(`Provider ${terms.providerId} is not licensed in ${patientState} on ${slot.start.slice(0, 10)}`, {
      providerId: terms.providerId,
    });
  }
}

/** A participant's time need not be one of their grid slots, only inside the time they offer. */
function coveredByOfferedSlots(slot: Interval, offered: readonly Interval[]): boolean {
  let reached = Date.parse(slot.start);
  const end = Date.parse(slot.end);
  for (const s of [...offered].sort((a, b) => a.start.localeCompare(b.start))) {
    if (Date.parse(s.start) <= reached && Date.parse(s.end) > reached) reached = Date.parse(s.end);
    if (reached >= end) return true;
  }
  return false;
}

function checkSlotTime(slot: Interval, terms: ProviderTerms, now: Date): void {
  if (Date.parse(slot.start) <= now.getTime()) {
    throw new SlotInPastError(`The slot starting ${slot.start} is in the past`);
  }
  if (!terms.offeredSlots.some((s) => s.start === slot.start && s.end === slot.end)) {
    throw new OutsideAvailabilityError(`${slot.start}-${slot.end} is not a slot of provider ${terms.providerId}`);
  }
}

function checkSlot(state: ProviderDayState, slot: Interval, terms: ProviderTerms, now: Date, except: { holdId?: string; appointmentId?: string }): void {
  checkSlotTime(slot, terms, now);
  if (overlapping(state, slot, now, except).length > 0) {
    throw new SlotTakenError(`The slot starting ${slot.start} is no longer free`);
  }
}

function findAppointment(state: ProviderDayState, appointmentId: string): DayAppointment {
  const appointment = appointmentsOf(state)[appointmentId];
  if (appointment === undefined || appointment.status === 'moved-out') {
    throw new AppointmentNotFoundError(`Appointment ${appointmentId} not found`);
  }
  return appointment;
}

function changeable(appointment: DayAppointment, now: Date): AppointmentBooked['data'] {
  if (appointment.status !== 'booked') {
    throw new AppointmentNotChangeableError(`Appointment ${appointment.booking.appointmentId} is ${appointment.status}`);
  }
  if (Date.parse(appointment.booking.start) <= now.getTime()) {
    throw new AppointmentStartedError(`Appointment ${appointment.booking.appointmentId} has already started`);
  }
  return appointment.booking;
}

// --- decide ---
function decideHold(command: HoldSlot, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  checkSlot(state, data.slot, data.terms, metadata.now, {});
  return [
    {
      type: 'SlotHeld',
      data: {
        holdId: data.holdId,
        providerId: data.terms.providerId,
        patientId: data.patientId,
        start: data.slot.start,
        end: data.slot.end,
        expiresAt: new Date(metadata.now.getTime() + data.holdMinutes * 60_000).toISOString(),
      },
    },
  ];
}

function decideBook(command: BookAppointment, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  if (appointmentsOf(state)[data.appointmentId] !== undefined) {
    throw new AppointmentExistsError(`Appointment ${data.appointmentId} already exists`);
  }
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
  const intakeTriage: IntakeTriage = triageRecord(result);
  if (!data.terms.modalities.includes(data.modality)) {
    throw new ModalityNotOfferedError(`Provider ${data.terms.providerId} does not offer ${data.modality} visits`);
  }
  checkLicensed(data.terms, data.modality, data.patientState, data.slot);
  if (data.groupSessionId !== undefined) return bookSeat(command, state, data.groupSessionId, intakeTriage);
  const ownHold = holdsOf(state).find(
    (h) =>
      h.holdId === data.holdId &&
      h.patientId === data.patientId &&
      h.start === data.slot.start &&
      Date.parse(h.expiresAt) > metadata.now.getTime(),
  );
  checkSlotTime(data.slot, data.terms, metadata.now);
  const overlaps = overlapping(state, data.slot, metadata.now, ownHold ? { holdId: ownHold.holdId } : {});
  if (overlaps.length > 0 && data.override === undefined) {
    throw new SlotTakenError(`The slot starting ${data.slot.start} is no longer free (provider ${data.terms.providerId})`, { providerId: data.terms.providerId });
  }
  if (overlaps.length > 0 && metadata.actor.role !== 'ops') {
    throw new OverrideNotAllowedError('Only a scheduler may book over other bookings');
  }
  const authorization: ProviderDayEvent[] =
    overlaps.length > 0
      ? [
          {
            type: 'DoubleBookingAuthorized',
            data: {
              appointmentId: data.appointmentId,
              providerId: data.terms.providerId,
              start: data.slot.start,
              end: data.slot.end,
              overlaps,
              reasonCode: data.override!.reasonCode,
            },
          },
        ]
      : [];
  return [
    ...authorization,
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
        ...(ownHold && { holdId: ownHold.holdId }),
        ...(data.series !== undefined && { series: data.series }),
        ...(data.additionalProviderIds !== undefined && data.additionalProviderIds.length > 0 && { additionalProviderIds: [...data.additionalProviderIds] }),
        triage: intakeTriage,
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

function decideBookParticipant(command: BookParticipant, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const providerId = data.terms.providerId;
  if (state.status === 'open' && (state.participations[data.appointmentId] !== undefined || state.appointments[data.appointmentId] !== undefined)) {
    throw new AppointmentExistsError(`Appointment ${data.appointmentId} is already on provider ${providerId}'s day`);
  }
  if (!data.terms.modalities.includes(data.modality)) {
    throw new ModalityNotOfferedError(`Provider ${providerId} does not offer ${data.modality} visits`, { providerId });
  }
  checkLicensed(data.terms, data.modality, data.patientState, data.slot);
  checkParticipantSlot(state, data.slot, data.terms, metadata.now, {});
  return [
    {
      type: 'AppointmentParticipantBooked',
      data: {
        appointmentId: data.appointmentId,
        providerId,
        leadProviderId: data.leadProviderId,
        patientId: data.patientId,
        start: data.slot.start,
        end: data.slot.end,
        modality: data.modality,
      },
    },
  ];
}

function checkParticipantSlot(state: ProviderDayState, slot: Interval, terms: ProviderTerms, now: Date, except: { appointmentId?: string }): void {
  const providerId = terms.providerId;
  if (Date.parse(slot.start) <= now.getTime()) throw new SlotInPastError(`The slot starting ${slot.start} is in the past`);
  if (!coveredByOfferedSlots(slot, terms.offeredSlots)) {
    throw new OutsideAvailabilityError(`${slot.start}-${slot.end} is outside provider ${providerId}'s availability`, { providerId });
  }
  if (overlapping(state, slot, now, except).length > 0) {
    throw new SlotTakenError(`Provider ${providerId} is not free at ${slot.start}`, { providerId });
  }
}

function activeParticipation(state: ProviderDayState, appointmentId: string): Participation | undefined {
  const participation = state.status === 'open' ? state.participations[appointmentId] : undefined;
  return participation?.status === 'active' ? participation : undefined;
}

function decideMoveParticipant(command: MoveParticipant, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  const participation = activeParticipation(state, data.appointmentId);
  if (participation === undefined) throw new AppointmentNotFoundError(`Appointment ${data.appointmentId} not found on provider ${data.terms.providerId}'s day`);
  checkParticipantSlot(state, data.to, data.terms, metadata.now, { appointmentId: data.appointmentId });
  const { booking } = participation;
  return [
    {
      type: 'AppointmentParticipantMoved',
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, from: { start: booking.start, end: booking.end }, to: data.to },
    },
  ];
}

function decideReleaseParticipant(command: ReleaseParticipant, state: ProviderDayState): ProviderDayEvent[] {
  const participation = activeParticipation(state, command.data.appointmentId);
  // Already free (released before): nothing to do.
  if (participation === undefined) return [];
  const { booking } = participation;
  return [
    {
      type: 'AppointmentParticipantReleased',
      data: {
        appointmentId: booking.appointmentId,
        providerId: booking.providerId,
        start: booking.start,
        end: booking.end,
        reasonCode: command.data.reasonCode,
      },
    },
  ];
}

function bookSeat(command: BookAppointment, state: ProviderDayState, sessionId: string, intakeTriage: IntakeTriage): ProviderDayEvent[] {
  const { data, metadata } = command;
  const session = state.status === 'open' ? state.sessions[sessionId] : undefined;
  if (session === undefined || session.start !== data.slot.start) {
    throw new GroupSessionNotFoundError(`Group session ${sessionId} not found at ${data.slot.start}`);
  }
  if (Date.parse(session.start) <= metadata.now.getTime()) throw new SlotInPastError(`Group session ${sessionId} has started`);
  const seats = Object.values(appointmentsOf(state)).filter(
    (a) => a.booking.groupSessionId === sessionId && (a.status === 'booked' || a.status === 'checked-in'),
  );
  if (seats.length >= session.capacity) throw new GroupSessionFullError(`Group session ${sessionId} is full (${session.capacity})`);
  return [
    {
      type: 'AppointmentBooked',
      data: {
        appointmentId: data.appointmentId,
        providerId: data.terms.providerId,
        patientId: data.patientId,
        start: session.start,
        end: session.end,
        modality: data.modality,
        patientState: data.patientState,
        reason: data.reason,
        intake: data.intake,
        groupSessionId: sessionId,
        triage: intakeTriage,
        ...billingFacts(command),
      },
    },
  ];
}

function decideGroupSession(command: ScheduleGroupSession, state: ProviderDayState): ProviderDayEvent[] {
  const { data, metadata } = command;
  if (state.status === 'open' && state.sessions[data.sessionId] !== undefined) return [];
  checkSlot(state, data.slot, data.terms, metadata.now, {});
  return [
    {
      type: 'GroupSessionScheduled',
      data: { sessionId: data.sessionId, providerId: data.terms.providerId, start: data.slot.start, end: data.slot.end, capacity: data.capacity },
    },
  ];
}

function decideReviewTriage(command: ReviewTriage, state: ProviderDayState): ProviderDayEvent[] {
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

function decideCancel(command: CancelAppointment, state: ProviderDayState): ProviderDayEvent[] {
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

function decideReschedule(command: RescheduleAppointment, state: ProviderDayState): ProviderDayEvent[] {
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

function decideAcceptMoved(command: AcceptMovedAppointment, state: ProviderDayState): ProviderDayEvent[] {
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

function decideReleaseMoved(command: ReleaseMovedAppointment, state: ProviderDayState): ProviderDayEvent[] {
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

function decideCheckIn(command: CheckIn, state: ProviderDayState): ProviderDayEvent[] {
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

function decideNoShow(command: MarkNoShow, state: ProviderDayState): ProviderDayEvent[] {
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

function decideUndelivered(command: RecordNotificationUndelivered, state: ProviderDayState): ProviderDayEvent[] {
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

function decideReminder(command: RecordReminderSent, state: ProviderDayState): ProviderDayEvent[] {
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

function decideCoverage(command: RecordCoverage, state: ProviderDayState): ProviderDayEvent[] {
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

function decideIntakeRead(command: RecordIntakeRead, state: ProviderDayState): ProviderDayEvent[] {
  const { booking } = findAppointment(state, command.data.appointmentId);
  return [
    {
      type: 'IntakeRead',
      data: { appointmentId: booking.appointmentId, providerId: booking.providerId, patientId: booking.patientId, purpose: command.data.purpose },
    },
  ];
}

function decideAttachment(command: AddIntakeAttachment, state: ProviderDayState): ProviderDayEvent[] {
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

// --- evolve ---
function open(state: ProviderDayState): Extract<ProviderDayState, { status: 'open' }> {
  return state.status === 'open' ? state : { status: 'open', participations: {}, holds: [], appointments: {}, sessions: {} };
}

function withAppointment(
  state: ProviderDayState,
  appointmentId: string,
  change: (appointment: DayAppointment) => DayAppointment,
): ProviderDayState {
  const day = open(state);
  const appointment = day.appointments[appointmentId];
  if (appointment === undefined) return day;
  return { ...day, appointments: { ...day.appointments, [appointmentId]: change(appointment) } };
}

export const providerDayDecider: Decider<ProviderDayCommand, ProviderDayEvent, ProviderDayState> = {
  initialState: () => ({ status: 'empty' }),
  decide(command, state) {
    switch (command.type) {
      case 'BookParticipant':
        return decideBookParticipant(command, state);
      case 'MoveParticipant':
        return decideMoveParticipant(command, state);
      case 'ReleaseParticipant':
        return decideReleaseParticipant(command, state);
      case 'HoldSlot':
        return decideHold(command, state);
      case 'ScheduleGroupSession':
        return decideGroupSession(command, state);
      case 'BookAppointment':
        return decideBook(command, state);
      case 'CancelAppointment':
        return decideCancel(command, state);
      case 'RescheduleAppointment':
        return decideReschedule(command, state);
      case 'AcceptMovedAppointment':
        return decideAcceptMoved(command, state);
      case 'ReleaseMovedAppointment':
        return decideReleaseMoved(command, state);
      case 'CheckIn':
        return decideCheckIn(command, state);
      case 'MarkNoShow':
        return decideNoShow(command, state);
      case 'RecordNotificationUndelivered':
        return decideUndelivered(command, state);
      case 'RecordReminderSent':
        return decideReminder(command, state);
      case 'RecordCoverage':
        return decideCoverage(command, state);
      case 'RecordIntakeRead':
        return decideIntakeRead(command, state);
      case 'AddIntakeAttachment':
        return decideAttachment(command, state);
      case 'ReviewTriage':
        return decideReviewTriage(command, state);
      default: {
        const exhaustive: never = command;
        return assertNever(exhaustive, 'provider-day command');
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'AppointmentParticipantBooked': {
        const day = open(state);
        return { ...day, participations: { ...day.participations, [event.data.appointmentId]: { status: 'active', booking: event.data } } };
      }
      case 'AppointmentParticipantMoved':
      case 'AppointmentParticipantReleased': {
        const day = open(state);
        const participation = day.participations[event.data.appointmentId];
        if (participation === undefined) return day;
        const changed: Participation =
          event.type === 'AppointmentParticipantMoved'
            ? { ...participation, booking: { ...participation.booking, start: event.data.to.start, end: event.data.to.end } }
            : { ...participation, status: 'released' };
        return { ...day, participations: { ...day.participations, [event.data.appointmentId]: changed } };
      }
      case 'SlotHeld': {
        const day = open(state);
        const { providerId: _p, ...hold } = event.data;
        return { ...day, holds: [...day.holds, hold] };
      }
      case 'AppointmentBooked': {
        const day = open(state);
        return {
          ...day,
          holds: day.holds.filter((h) => h.holdId !== event.data.holdId),
          appointments: { ...day.appointments, [event.data.appointmentId]: { status: 'booked', booking: event.data, reminders: [], attachments: [] } },
        };
      }
      case 'AppointmentMovedIn': {
        const day = open(state);
        const { from: _from, reasonCode: _reason, ...booking } = event.data;
        return { ...day, appointments: { ...day.appointments, [booking.appointmentId]: { status: 'booked', booking, reminders: [], attachments: [] } } };
      }
      case 'GroupSessionScheduled': {
        const day = open(state);
        const { start, end, capacity } = event.data;
        return { ...day, sessions: { ...day.sessions, [event.data.sessionId]: { start, end, capacity } } };
      }
      case 'EmergencyRedirected':
      case 'InPersonRedirected':
      case 'DoubleBookingAuthorized':
      case 'AppointmentCoverageRecorded':
      case 'IntakeRead':
        return open(state);
      case 'AppointmentCancelled':
        return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, status: 'cancelled' }));
      case 'AppointmentRescheduled':
        return withAppointment(state, event.data.appointmentId, (a) => ({
          ...a,
          booking: { ...a.booking, start: event.data.to.start, end: event.data.to.end },
        }));
      case 'AppointmentMovedOut':
        return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, status: 'moved-out' }));
      case 'PatientCheckedIn':
        return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, status: 'checked-in' }));
      case 'AppointmentNoShow':
        return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, status: 'no-show' }));
      case 'TriageReviewed':
        return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, triageReview: event.data }));
      case 'IntakeAttachmentAdded': {
        const { sha256, contentType, sizeBytes } = event.data;
        return withAppointment(state, event.data.appointmentId, (a) => ({ ...a, attachments: [...a.attachments, { sha256, contentType, sizeBytes }] }));
      }
      case 'AppointmentNotificationUndelivered':
        return state;
      case 'AppointmentReminderSent':
        return withAppointment(state, event.data.appointmentId, (a) => ({
          ...a,
          reminders: [...a.reminders, `${event.data.minutesBefore}@${event.data.start}`],
        }));
      default: {
        const exhaustive: never = event;
        return assertNever(exhaustive, 'provider-day event');
      }
    }
  },
};
