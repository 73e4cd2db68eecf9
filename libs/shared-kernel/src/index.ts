export * from './brand';
export * from './decider';
export * from './domain-error';
export * from './us-jurisdictions';
export * from './name-based-uuid';
export { DEFAULT_HORIZON_DAYS, type DatedRuleSet, type HorizonItem, horizonWarning, ruleHorizon } from './rule-horizon';
export * from './infrastructure-error';
