import { nameBasedUuid } from '@carebridge/shared-kernel';

export const visitStreamId = (visitId: string): string => `visit-${visitId}`;

/** A visits id from a namespace and a name: the same input, the same id, across retries and replicas. */
export const derivedUuid = (namespace: string, name: string): string => nameBasedUuid(`carebridge:visits:${namespace}:${name}`);

/** One visit per booked appointment: its id follows from the appointment's, so opening it twice is one visit. */
export const visitIdForAppointment = (appointmentId: string): string => derivedUuid('appointment-visit', appointmentId.toLowerCase());
