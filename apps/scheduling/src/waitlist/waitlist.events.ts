import type { Modality } from '../provider/provider.events';

/** One patient's wait for a provider (or any provider of a specialty) in a time range. */
export type WaitlistJoined = {
  readonly type: 'WaitlistJoined';
  readonly data: {
    readonly entryId: string;
    readonly patientId: string;
    readonly providerId?: string;
    readonly specialty?: string;
    readonly modality: Modality;
    readonly patientState: string;
    /** UTC instants, half-open. */
    readonly from: string;
    readonly to: string;
  };
};

/** A freed slot was held for this patient; they may book it with `holdId` until `expiresAt`. */
export type WaitlistSlotOffered = {
  readonly type: 'WaitlistSlotOffered';
  readonly data: {
    readonly entryId: string;
    readonly patientId: string;
    readonly providerId: string;
    readonly start: string;
    readonly end: string;
    readonly holdId: string;
    readonly expiresAt: string;
  };
};

export type WaitlistFulfilled = {
  readonly type: 'WaitlistFulfilled';
  readonly data: { readonly entryId: string; readonly patientId: string; readonly appointmentId: string };
};

export type WaitlistEvent = WaitlistJoined | WaitlistSlotOffered | WaitlistFulfilled;
