/** A visit's state as its events build it (`evolve`), and who may see and do what. */
import { assertNever } from '@carebridge/shared-kernel';
import type {
  AttachmentShared,
  ConsultDiscussionPosted,
  ConsultRequested,
  DiagnosisRecorded,
  EmergencyEscalated,
  FollowUpRequested,
  ModalitySwitched,
  NoteWritten,
  OrderPlaced,
  ParticipantRole,
  PatientAdmitted,
  PatientCheckedIn,
  PrescriptionIntended,
  SecureMessagePosted,
  SymptomsReviewed,
  VisitCompleted,
  VisitEvent,
  VisitModality,
  VisitOpened,
  VitalsRecorded,
} from './visit.events';

// ---------------------------------------------------------------- state

export interface Consult extends Readonly<ConsultRequested['data']> {
  readonly joined: readonly string[];
  readonly discussion: readonly ConsultDiscussionPosted['data'][];
}

/** Everything the visit has recorded: the same record whatever the modality. */
export interface VisitRecord {
  readonly visit: VisitOpened['data'];
  readonly modality: VisitModality;
  readonly checkIn?: PatientCheckedIn['data'];
  readonly admitted?: PatientAdmitted['data'];
  /** Participants whose connection dropped, with when, until they reconnect. */
  readonly disconnected: Readonly<Record<string, { readonly role: ParticipantRole; readonly at: string }>>;
  readonly connectionLog: readonly { readonly participantId: string; readonly status: 'disconnected' | 'reconnected'; readonly at: string }[];
  readonly modalityChanges: readonly ModalitySwitched['data'][];
  readonly symptoms?: SymptomsReviewed['data'];
  readonly vitals: readonly VitalsRecorded['data'][];
  readonly note?: NoteWritten['data'];
  readonly diagnoses: readonly DiagnosisRecorded['data'][];
  readonly orders: readonly OrderPlaced['data'][];
  readonly attachments: readonly AttachmentShared['data'][];
  readonly messages: readonly SecureMessagePosted['data'][];
  readonly consults: readonly Consult[];
  readonly emergency?: EmergencyEscalated['data'];
  readonly followUp?: FollowUpRequested['data'];
  readonly prescriptions: readonly PrescriptionIntended['data'][];
  readonly outcome?: VisitCompleted['data'];
  readonly leftAt?: string;
  readonly cancelled?: { readonly reasonCode: string; readonly at: string };
}

export type VisitStatus = 'scheduled' | 'waiting' | 'in-progress' | 'ended' | 'left-before-seen' | 'cancelled';

export type VisitState =
  | { readonly status: 'none' }
  | { readonly status: 'scheduled'; readonly record: VisitRecord }
  | { readonly status: 'waiting'; readonly record: VisitRecord }
  | { readonly status: 'in-progress'; readonly record: VisitRecord }
  | { readonly status: 'ended'; readonly record: VisitRecord }
  | { readonly status: 'left-before-seen'; readonly record: VisitRecord }
  | { readonly status: 'cancelled'; readonly record: VisitRecord };

export type Opened = Exclude<VisitState, { status: 'none' }>;

// ---------------------------------------------------------------- who may see and do what

/** The patient, the attending provider and the consultants who joined. */
export function participantsOf(record: VisitRecord): { patientId: string; providerId?: string; consultants: string[] } {
  return {
    patientId: record.visit.patientId,
    ...(record.visit.providerId !== undefined && { providerId: record.visit.providerId }),
    consultants: [...new Set(record.consults.flatMap((c) => c.joined))],
  };
}

export function isParticipant(record: VisitRecord, actor: { patientId?: string; providerId?: string }): boolean {
  const p = participantsOf(record);
  if (actor.patientId !== undefined && actor.patientId === p.patientId) return true;
  if (actor.providerId === undefined) return false;
  return actor.providerId === p.providerId || p.consultants.includes(actor.providerId);
}

/** Invited to a consult but not joined yet: may see the record to decide, as consulting providers do. */
export function isInvitedConsultant(record: VisitRecord, providerId: string | undefined): boolean {
  return providerId !== undefined && record.consults.some((c) => c.invitees.includes(providerId));
}

// ---------------------------------------------------------------- evolve

function emptyRecord(visit: VisitOpened['data']): VisitRecord {
  return {
    visit,
    modality: visit.modality,
    disconnected: {},
    connectionLog: [],
    modalityChanges: [],
    vitals: [],
    diagnoses: [],
    orders: [],
    attachments: [],
    messages: [],
    consults: [],
    prescriptions: [],
  };
}

export function evolve(state: VisitState, event: VisitEvent): VisitState {
  if (event.type === 'VisitOpened') return { status: 'scheduled', record: emptyRecord(event.data) };
  if (state.status === 'none') return state;
  const r = state.record;
  const keep = (record: VisitRecord): VisitState => ({ ...state, record });
  switch (event.type) {
    case 'VisitRescheduled':
      return keep({ ...r, visit: { ...r.visit, ...event.data } });
    case 'VisitCancelled':
      return { status: 'cancelled', record: { ...r, cancelled: event.data } };
    case 'PatientCheckedIn':
      return { status: 'waiting', record: { ...r, checkIn: event.data } };
    case 'PatientLeftBeforeSeen':
      return { status: 'left-before-seen', record: { ...r, leftAt: event.data.at } };
    case 'ProviderAssigned':
      return keep({ ...r, visit: { ...r.visit, providerId: event.data.providerId } });
    case 'PatientAdmitted':
      return { status: 'in-progress', record: { ...r, admitted: event.data } };
    case 'ParticipantDisconnected':
      return keep({
        ...r,
        disconnected: { ...r.disconnected, [event.data.participantId]: { role: event.data.role, at: event.data.at } },
        connectionLog: [...r.connectionLog, { participantId: event.data.participantId, status: 'disconnected', at: event.data.at }],
      });
    case 'ParticipantReconnected': {
      const { [event.data.participantId]: _gone, ...rest } = r.disconnected;
      return keep({
        ...r,
        disconnected: rest,
        connectionLog: [...r.connectionLog, { participantId: event.data.participantId, status: 'reconnected', at: event.data.at }],
      });
    }
    case 'ModalitySwitched':
      return keep({ ...r, modality: event.data.to, modalityChanges: [...r.modalityChanges, event.data] });
    case 'SymptomsReviewed':
      return keep({ ...r, symptoms: event.data });
    case 'VitalsRecorded':
      return keep({ ...r, vitals: [...r.vitals, event.data] });
    case 'NoteWritten':
      return keep({ ...r, note: event.data });
    case 'DiagnosisRecorded':
      return keep({ ...r, diagnoses: [...r.diagnoses, event.data] });
    case 'OrderPlaced':
      return keep({ ...r, orders: [...r.orders, event.data] });
    case 'AttachmentShared':
      return keep({ ...r, attachments: [...r.attachments, event.data] });
    case 'SecureMessagePosted':
      return keep({ ...r, messages: [...r.messages, event.data] });
    case 'ConsultRequested':
      return keep({ ...r, consults: [...r.consults, { ...event.data, joined: [], discussion: [] }] });
    case 'ConsultantJoined':
      return keep({
        ...r,
        consults: r.consults.map((c) => (c.consultId === event.data.consultId ? { ...c, joined: [...c.joined, event.data.providerId] } : c)),
      });
    case 'ConsultDiscussionPosted':
      return keep({
        ...r,
        consults: r.consults.map((c) => (c.consultId === event.data.consultId ? { ...c, discussion: [...c.discussion, event.data] } : c)),
      });
    case 'EmergencyEscalated':
      return keep({ ...r, emergency: event.data });
    case 'FollowUpRequested':
      return keep({ ...r, followUp: event.data });
    case 'PrescriptionIntended':
      return keep({ ...r, prescriptions: [...r.prescriptions, event.data] });
    case 'VisitCompleted':
      return { status: 'ended', record: { ...r, outcome: event.data } };
    case 'RoomTokenIssued':
    case 'VisitRecordRead':
      return state; // audit trail only
    default: {
      const exhaustive: never = event;
      return assertNever(exhaustive, 'visit event');
    }
  }
}
