/** Injection tokens of the composition root (monitoring.module.ts), grouped by role. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READING_INTAKE = Symbol('READING_INTAKE');
export const LIVE_READINGS = Symbol('LIVE_READINGS');
export const CLOCK = Symbol('CLOCK');
export const RPM_PERIODS = Symbol('RPM_PERIODS');
