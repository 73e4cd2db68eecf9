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
    case 'VisitOpened': {
      const d = event.data;
      return [
        publish(VisitOpened, {
          visitId,
          patientId: d.patientId,
          ...(d.providerId !== undefined && { providerId: d.providerId }),
          ...(d.appointmentId !== undefined && { appointmentId: d.appointmentId }),
          kind: d.kind,
          modality: d.modality,
          ...(d.patientState !== undefined && { patientState: d.patientState }),
          ...(d.scheduledStart !== undefined && { scheduledStart: d.scheduledStart }),
        }, recorded),
      ];
    }
    case 'PatientCheckedIn': {
      const d = event.data;
      return [
        publish(PatientCheckedIn, {
          visitId,
          patientId: d.patientId,
          ...(d.appointmentId !== undefined && { appointmentId: d.appointmentId }),
          locationState: d.locationState,
          videoReady: d.videoProblems.length === 0,
          checkedInAt: d.at,
        }, recorded),
      ];
    }
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
    case 'ConsultRequested': {
      const d = event.data;
      return [
        publish(ConsultRequested, {
          visitId,
          consultId: d.consultId,
          requestedBy: d.requestedBy,
          kind: d.kind,
          invitees: [...d.invitees],
          ...(d.specialty !== undefined && { specialty: d.specialty }),
        }, recorded),
      ];
    }
    case 'VisitCompleted': {
      const d = event.data;
      return [
        publish(VisitCompleted, {
          visitId,
          patientId: d.patientId,
          ...(d.providerId !== undefined && { providerId: d.providerId }),
          ...(d.appointmentId !== undefined && { appointmentId: d.appointmentId }),
          disposition: d.disposition,
          diagnosisCodes: [...d.diagnosisCodes],
          prescriptionIntents: d.prescriptionIntents,
          modality: d.modality,
          completedAt: d.at,
        }, recorded),
      ];
    }
    case 'FollowUpRequested': {
      const d = event.data;
      return [
        publish(FollowUpRequested, {
          followUpId: d.followUpId,
          visitId,
          patientId: d.patientId,
          providerId: d.providerId,
          modality: 'in-person' as const,
          reasonCode: d.reasonCode,
          patientState: d.patientState,
          dueBy: d.dueBy,
        }, recorded),
      ];
    }
    case 'EmergencyEscalated': {
      const d = event.data;
      return [
        publish(EmergencyEscalated, {
          visitId,
          patientId: d.patientId,
          ...(d.providerId !== undefined && { providerId: d.providerId }),
          escalatedBy: d.by,
          redFlagCodes: [...d.redFlags],
          rulesSource: d.rulesSource,
          escalatedAt: d.at,
        }, recorded),
      ];
    }
    case 'PrescriptionIntended': {
      const d = event.data;
      return [
        publish(PrescriptionIntended, {
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
        }, recorded),
      ];
    }
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
