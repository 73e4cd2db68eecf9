import type { DefinedIntegrationEvent } from '../integration-event';
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
} from './visit.events';

export * from './visit.events';

/** Integration events published by the visits service. */
export const visitsEvents: readonly DefinedIntegrationEvent<any>[] = [
  VisitOpened,
  PatientCheckedIn,
  ProviderJoined,
  ModalitySwitched,
  VitalsRecorded,
  AttachmentShared,
  ConsultRequested,
  VisitCompleted,
  FollowUpRequested,
  EmergencyEscalated,
  PrescriptionIntended,
];
