/** Injection tokens of the composition root (visits.module.ts), grouped by role. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODELS = Symbol('READ_MODELS');
export const VISITS_POLICY = Symbol('VISITS_POLICY');
export const CLOCK = Symbol('CLOCK');
export const BLOB_STORE = Symbol('BLOB_STORE');
export const ROOM_PROVIDER = Symbol('ROOM_PROVIDER');
