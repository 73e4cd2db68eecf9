export * from './brand';
export * from './decider';
export * from './domain-error';
export * from './us-jurisdictions';
export * from './name-based-uuid';
