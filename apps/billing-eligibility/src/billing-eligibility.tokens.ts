/** Ports of the service, bound to adapters in billing-eligibility.module.ts. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const RULE_CATALOG = Symbol('RULE_CATALOG');
/** Wakes the relay after an append, so EligibilityDetermined leaves without waiting for its poll. */
export const AFTER_APPEND = Symbol('AFTER_APPEND');
export type AfterAppend = () => void;
/** Wakes only the relay (used by the re-check reactor, whose own appends need no re-check). */
export const RELAY_NUDGE = Symbol('RELAY_NUDGE');
/** How long before the visit the re-check job runs (24 h). */
export const RECHECK_BEFORE_VISIT_MS = Symbol('RECHECK_BEFORE_VISIT_MS');
