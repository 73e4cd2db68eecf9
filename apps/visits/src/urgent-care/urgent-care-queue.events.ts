/** The events of an `urgent-care-queue-<STATE>` stream: on-demand patients located in one state, first come first served. */

export type PatientQueued = {
  readonly type: 'PatientQueued';
  readonly data: { readonly visitId: string; readonly patientId: string; readonly joinedAt: string };
};
/** The next available provider licensed in the queue's state took the patient. */
export type PatientTaken = {
  readonly type: 'PatientTaken';
  readonly data: { readonly visitId: string; readonly patientId: string; readonly providerId: string; readonly waitedSeconds: number };
};
export type PatientLeftQueue = { readonly type: 'PatientLeftQueue'; readonly data: { readonly visitId: string } };

export type UrgentCareQueueEvent = PatientQueued | PatientTaken | PatientLeftQueue;
