import { addMonths, isValidDeaNumber, ruleSetInForce, TELEMEDICINE_RULE_SETS } from './controlled-substance.rules';

describe('telemedicine rule sets', () => {
  it('applies the flexibilities on their last day, 2026-12-31', () => {
    expect(ruleSetInForce(new Date('2026-12-31T23:00:00Z'))?.id).toBe('dea-hhs-telemedicine-flexibilities-through-2026');
  });

  it('applies the post-flexibility rules from 2027-01-01', () => {
    expect(ruleSetInForce(new Date('2027-01-01T00:00:00Z'))?.id).toBe('ryan-haight-baseline-from-2027');
  });

  it('never applies the proposed special-registration rule set', () => {
    const proposed = TELEMEDICINE_RULE_SETS.find((set) => set.id === 'dea-special-registration-proposed')!;
    expect(proposed.enabled).toBe(false);
    expect(ruleSetInForce(new Date('2027-06-01T00:00:00Z'), [proposed])).toBeUndefined();
  });

  it('gives every rule set at least one source', () => {
    expect(TELEMEDICINE_RULE_SETS.filter((set) => set.sources.length === 0)).toEqual([]);
  });
});

describe('DEA number', () => {
  it('accepts a number whose check digit matches', () => {
    expect(isValidDeaNumber('AB1234563')).toBe(true);
  });

  it('refuses a number whose check digit does not match', () => {
    expect(isValidDeaNumber('AB1234564')).toBe(false);
  });
});

describe('addMonths', () => {
  it('keeps the day of the month', () => {
    expect(addMonths(new Date('2026-11-22T15:00:00Z'), 6).toISOString()).toBe('2027-05-22T15:00:00.000Z');
  });

  it('lands on the last day of a shorter month', () => {
    expect(addMonths(new Date('2026-08-31T00:00:00Z'), 6).toISOString()).toBe('2027-02-28T00:00:00.000Z');
  });
});
