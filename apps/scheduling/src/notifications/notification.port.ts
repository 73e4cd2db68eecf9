/**
 * Names one message on one channel, the same on every retry of its job: the e-mail's Message-ID is
 * derived from it, so a message repeated after a crash can be dropped by the receiving system.
 */
export type DeliveryId = string;

/**
 * What the reminder job asks to send, one channel at a time (so each channel is retried on its own).
 * Contact details are resolved by the adapter from the patient id.
 */
export interface AppointmentReminder {
  readonly deliveryId: DeliveryId;
  readonly appointmentId: string;
  readonly patientId: string;
  readonly channels: readonly ('sms' | 'email')[];
  readonly start: string;
  readonly minutesBefore: number;
  readonly joinUrl: string;
  readonly preparationTips: readonly string[];
}

/** After a no-show: the patient is invited to book again (link to the reschedule page). */
export interface NoShowFollowUp {
  readonly deliveryId: DeliveryId;
  readonly appointmentId: string;
  readonly patientId: string;
  readonly channels: readonly ('sms' | 'email')[];
  readonly rescheduleUrl: string;
}

/** A freed slot held for a waitlisted patient until `expiresAt`. */
export interface WaitlistOffer {
  readonly deliveryId: DeliveryId;
  readonly channels: readonly ('sms' | 'email')[];
  readonly entryId: string;
  readonly patientId: string;
  readonly providerId: string;
  readonly start: string;
  readonly holdId: string;
  readonly expiresAt: string;
}

/** A send that fails throws (the job retries it); one that returns counts as delivered. */
export interface Notifier {
  sendReminder(reminder: AppointmentReminder): Promise<void>;
  sendNoShowFollowUp(followUp: NoShowFollowUp): Promise<void>;
  sendWaitlistOffer(offer: WaitlistOffer): Promise<void>;
}

export const PREPARATION_TIPS: readonly string[] = [
  'Test your camera, microphone and connection before the visit.',
  'Find a quiet, well-lit, private place.',
  'Upload any photos your provider should see before the visit.',
  'Write down your questions and the medicines you take.',
];
