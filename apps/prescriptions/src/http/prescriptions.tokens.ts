/** Injection tokens of the composition root (prescriptions.module.ts). */
export const PG_POOL = Symbol('PG_POOL');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const SERVICE_SCHEMA = Symbol('SERVICE_SCHEMA');
export const READ_MODELS = Symbol('READ_MODELS');
export const ONE_TIME_CODES = Symbol('ONE_TIME_CODES');
export const RELAY_NUDGE = Symbol('RELAY_NUDGE');
export const RECORD_SIGNER = Symbol('RECORD_SIGNER');
