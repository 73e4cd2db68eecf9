import {
  AttachmentShared,
  ConsultRequested,
  EmergencyEscalated,
  FollowUpRequested,
  ModalitySwitched,
  PatientCheckedIn,
  PrescriptionIntended,
  ProviderJoined,
  VisitCompleted,
  VisitOpened,
  VitalsRecorded,
} from '@carebridge/contracts';
import type { RecordedEvent } from '@carebridge/event-store';
import { type EventPublisher, publish } from '@carebridge/messaging';
import type { VisitEvent } from '../visit/visit.events';
import { vitalsObservations } from '../visit/vitals.rules';

type DataOf<T extends VisitEvent['type']> = Extract<VisitEvent, { type: T }>['data'];

/** Topics the service publishes to (created at boot). */
export const VISITS_TOPICS = [VisitOpened.topic] as const;

/**
 * Private visit events -> contracts/visits integration events: ids, codes and numbers only.
 * Notes, history, messages, consult discussion and files never leave the service; provider
 * licences, queue entries and the access log stay private too.
 */
export const visitsPublisher: EventPublisher = (recorded: RecordedEvent) => {
  if (!recorded.streamId.startsWith('visit-')) return [];
  const visitId = recorded.streamId.slice('visit-'.length);
  const event = { type: recorded.type, data: recorded.data } as VisitEvent;
  switch (event.type) {
    case 'VisitOpened':
      return [visitOpened(visitId, event.data, recorded)];
    case 'PatientCheckedIn':
      return [patientCheckedIn(visitId, event.data, recorded)];
    case 'PatientAdmitted': {
      const d = event.data;
      return [
        publish(ProviderJoined, { visitId, patientId: d.patientId, providerId: d.providerId, role: 'attending', licenceState: d.licence.state, joinedAt: d.at }, recorded),
      ];
    }
    case 'ConsultantJoined': {
      const d = event.data;
      return [publish(ProviderJoined, { visitId, patientId: d.patientId, providerId: d.providerId, role: 'consultant', joinedAt: d.at }, recorded)];
    }
    case 'ModalitySwitched': {
      const d = event.data;
      return [publish(ModalitySwitched, { visitId, from: d.from, to: d.to, reasonCode: d.reason, switchedAt: d.at }, recorded)];
    }
    case 'VitalsRecorded': {
      const d = event.data;
      return [publish(VitalsRecorded, { visitId, patientId: d.patientId, measuredAt: d.measuredAt, observations: vitalsObservations(d.vitals) }, recorded)];
    }
    case 'AttachmentShared': {
      const d = event.data;
      return [
        publish(AttachmentShared, { visitId, sha256: d.sha256, contentType: d.contentType, category: d.category, sizeBytes: d.sizeBytes, sharedByRole: d.sharedBy.role }, recorded),
      ];
    }
    case 'ConsultRequested':
      return [consultRequested(visitId, event.data, recorded)];
    case 'VisitCompleted':
      return [visitCompleted(visitId, event.data, recorded)];
    case 'FollowUpRequested':
      return [followUpRequested(visitId, event.data, recorded)];
    case 'EmergencyEscalated':
      return [emergencyEscalated(visitId, event.data, recorded)];
    case 'PrescriptionIntended':
      return [prescriptionIntended(visitId, event.data, recorded)];
    case 'VisitRescheduled': // scheduling's own news, not ours to republish
    case 'VisitCancelled':
    case 'PatientLeftBeforeSeen': // operational; stays in the service until someone needs it
    case 'ProviderAssigned': // followed by PatientAdmitted -> ProviderJoined
    case 'ParticipantDisconnected': // connection log: the record, not news
    case 'ParticipantReconnected':
    case 'RoomTokenIssued':
    case 'SymptomsReviewed': // free text and symptoms: PHI, stays in the service
    case 'NoteWritten':
    case 'DiagnosisRecorded': // published with the outcome (VisitCompleted.diagnosisCodes)
    case 'OrderPlaced':
    case 'SecureMessagePosted':
    case 'ConsultDiscussionPosted':
    case 'VisitRecordRead': // access log
      return [];
    default: {
      const exhaustive: never = event;
      throw new Error(`unmapped event ${JSON.stringify(exhaustive)}`);
    }
  }
};

// The integration events with more than a line of fields, each mapped by itself.

function visitOpened(visitId: string, d: DataOf<'VisitOpened'>, recorded: RecordedEvent) {
  return publish(VisitOpened, {
    visitId,
    patientId: d.patientId,
    ...(d.providerId !== undefined && { providerId: d.providerId }),
    ...(d.appointmentId !== undefined && { appointmentId: d.appointmentId }),
    kind: d.kind,
    modality: d.modality,
    ...(d.patientState !== undefined && { patientState: d.patientState }),
    ...(d.scheduledStart !== undefined && { scheduledStart: d.scheduledStart }),
  }, recorded);
}

function patientCheckedIn(visitId: string, d: DataOf<'PatientCheckedIn'>, recorded: RecordedEvent) {
  return publish(PatientCheckedIn, {
    visitId,
    patientId: d.patientId,
    ...(d.appointmentId !== undefined && { appointmentId: d.appointmentId }),
    locationState: d.locationState,
    videoReady: d.videoProblems.length === 0,
    checkedInAt: d.at,
  }, recorded);
}

function consultRequested(visitId: string, d: DataOf<'ConsultRequested'>, recorded: RecordedEvent) {
  return publish(ConsultRequested, {
    visitId,
    consultId: d.consultId,
    requestedBy: d.requestedBy,
    kind: d.kind,
    invitees: [...d.invitees],
    ...(d.specialty !== undefined && { specialty: d.specialty }),
  }, recorded);
}

function visitCompleted(visitId: string, d: DataOf<'VisitCompleted'>, recorded: RecordedEvent) {
  return publish(VisitCompleted, {
    visitId,
    patientId: d.patientId,
    ...(d.providerId !== undefined && { providerId: d.providerId }),
    ...(d.appointmentId !== undefined && { appointmentId: d.appointmentId }),
    disposition: d.disposition,
    diagnosisCodes: [...d.diagnosisCodes],
    prescriptionIntents: d.prescriptionIntents,
    modality: d.modality,
    completedAt: d.at,
  }, recorded);
}

function followUpRequested(visitId: string, d: DataOf<'FollowUpRequested'>, recorded: RecordedEvent) {
  return publish(FollowUpRequested, {
    followUpId: d.followUpId,
    visitId,
    patientId: d.patientId,
    providerId: d.providerId,
    modality: 'in-person' as const,
    reasonCode: d.reasonCode,
    patientState: d.patientState,
    dueBy: d.dueBy,
  }, recorded);
}

function emergencyEscalated(visitId: string, d: DataOf<'EmergencyEscalated'>, recorded: RecordedEvent) {
  return publish(EmergencyEscalated, {
    visitId,
    patientId: d.patientId,
    ...(d.providerId !== undefined && { providerId: d.providerId }),
    escalatedBy: d.by,
    redFlagCodes: [...d.redFlags],
    rulesSource: d.rulesSource,
    escalatedAt: d.at,
  }, recorded);
}

function prescriptionIntended(visitId: string, d: DataOf<'PrescriptionIntended'>, recorded: RecordedEvent) {
  return publish(PrescriptionIntended, {
    intentId: d.intentId,
    visitId,
    patientId: d.patientId,
    prescriberId: d.prescriberId,
    rxnormCode: d.rxnormCode,
    // The visit API accepts names up to 300 characters, the contract 200: a longer name is
    // left out (the prescriber completes it) rather than cut into a different-looking drug.
    // The sig is the provider's free text: it stays here (minimum necessary on Kafka).
    ...(d.name.trim() !== '' && d.name.length <= 200 && { medicationName: d.name }),
    quantity: { ...d.quantity },
    daysSupply: d.daysSupply,
    refills: d.refills,
    encounterModality: d.modality === 'video' ? ('audio-video' as const) : ('audio-only' as const),
    ...(d.patientLocationState !== undefined && { patientLocationState: d.patientLocationState }),
  }, recorded);
}
