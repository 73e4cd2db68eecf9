/** Injection tokens of the composition root (scheduling.module.ts), grouped by role. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODELS = Symbol('READ_MODELS');
export const SCHEDULING_POLICY = Symbol('SCHEDULING_POLICY');
export const CLOCK = Symbol('CLOCK');
export const BLOB_STORE = Symbol('BLOB_STORE');
export const WAITLIST_OFFERS = Symbol('WAITLIST_OFFERS');
export const PATIENT_CONTACTS = Symbol('PATIENT_CONTACTS');
