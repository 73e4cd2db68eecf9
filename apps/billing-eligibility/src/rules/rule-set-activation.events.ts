import type { Event } from '@carebridge/shared-kernel';

/**
 * Ops loaded a rule-set version as data, signed off, without a code release. The document is
 * stored as given and validated again whenever it is loaded (rule-set.loader.ts).
 */
export type RuleSetActivated = Event<
  'RuleSetActivated',
  {
    readonly ruleSetId: string;
    readonly version: string;
    readonly publishedAt: string;
    readonly document: unknown;
    readonly signedOff: { readonly by: string; readonly on: string; readonly statement: string };
  }
>;

export type RuleSetActivationEvent = RuleSetActivated;

/** One stream for every activation: a handful of events a year, read whole at each refresh. */
export const RULE_SETS_STREAM = 'rule-sets';
