/**
 * How to reach a patient, and how they want to be reached. PHI kept to the minimum: an address,
 * a number, the channels they accept and the time zone messages are written in. Never in events
 * or on Kafka (events are never deleted; contact details must be correctable and erasable).
 */
export interface PatientContact {
  readonly patientId: string;
  readonly email?: string;
  /** E.164, e.g. +12125550100. */
  readonly phone?: string;
  /** The channels the patient accepts; a reminder goes only through these. */
  readonly channels: readonly ('sms' | 'email')[];
  /** IANA zone for times in messages; UTC when absent. */
  readonly timeZone?: string;
}

export interface PatientContacts {
  contactOf(patientId: string): Promise<PatientContact | undefined>;
  save(contact: PatientContact, actorId: string): Promise<void>;
  /** Erasure (the patient withdraws consent): nothing of the contact is kept. */
  erase(patientId: string): Promise<void>;
}
