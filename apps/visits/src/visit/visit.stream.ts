import { createHash } from 'node:crypto';

export const visitStreamId = (visitId: string): string => `visit-${visitId}`;

/** UUID (version 5 layout) from a namespace and a name: the same input, the same id, across retries and replicas. */
export function derivedUuid(namespace: string, name: string): string {
  const bytes = createHash('sha1').update(`carebridge:visits:${namespace}:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One visit per booked appointment: its id follows from the appointment's, so opening it twice is one visit. */
export const visitIdForAppointment = (appointmentId: string): string => derivedUuid('appointment-visit', appointmentId.toLowerCase());
