import { addMonths, isValidDeaNumber, ruleSetInForce, telemedicineHorizon, telemedicinePolicy, TELEMEDICINE_RULE_SETS } from './controlled-substance.rules';
import type { EncounterContext } from './prescription.events';

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

describe('after the flexibilities (from 2027-01-01)', () => {
  const day = new Date('2027-03-01T12:00:00Z');
  const oud: EncounterContext = { modality: 'audio-only', priorInPersonEvaluation: false, indication: 'opioid-use-disorder' };

  it('buprenorphine by audio-only after a PDMP review: the six months may be split across prescriptions', () => {
    expect(telemedicinePolicy('III', { ...oud, pdmp: 'reviewed', priorTelemedicineDaysSupply: 90 }, 90, day)).toEqual({ allowed: true, ruleSetId: 'buprenorphine-telemedicine-final-rule', ruleId: 'buprenorphine-oud-after-pdmp-review' });
  });

  it('buprenorphine beyond the six-month total is refused', () => {
    expect(telemedicinePolicy('III', { ...oud, pdmp: 'reviewed', priorTelemedicineDaysSupply: 120 }, 90, day).allowed).toBe(false);
  });

  it('buprenorphine without a PDMP review is refused', () => {
    expect(telemedicinePolicy('III', oud, 30, day).allowed).toBe(false);
  });

  it('with the PDMP unavailable, seven days at a time', () => {
    expect(telemedicinePolicy('III', { ...oud, pdmp: 'unavailable' }, 7, day)).toMatchObject({ allowed: true, ruleId: 'buprenorphine-oud-pdmp-unavailable' });
    expect(telemedicinePolicy('III', { ...oud, pdmp: 'unavailable' }, 14, day).allowed).toBe(false);
  });

  it('a VA practitioner may prescribe schedule II by video when another VA practitioner saw the patient in person', () => {
    const va: EncounterContext = { modality: 'audio-video', priorInPersonEvaluation: false, indication: null, vaContinuity: true };
    expect(telemedicinePolicy('II', va, 30, day)).toEqual({ allowed: true, ruleSetId: 'va-continuity-of-care-final-rule', ruleId: 'va-patient-seen-in-person-by-va' });
    expect(telemedicinePolicy('II', { ...va, vaContinuity: false }, 30, day).allowed).toBe(false);
  });

  it('schedule II by video without any in-person evaluation falls to the Ryan Haight baseline and is refused', () => {
    expect(telemedicinePolicy('II', { modality: 'audio-video', priorInPersonEvaluation: false, indication: null }, 30, day)).toMatchObject({ allowed: false, ruleSetId: 'ryan-haight-baseline-from-2027' });
  });
});

describe('rule horizon', () => {
  it('on 2026-12-07 the fourth extension ends in 24 days with no successor; the Ryan Haight baseline follows', () => {
    expect(telemedicineHorizon('2026-12-07')).toEqual([
      expect.objectContaining({ ruleSetId: 'dea-hhs-telemedicine-flexibilities-through-2026', endsOn: '2026-12-31', daysLeft: 24, then: expect.stringContaining('ryan-haight-baseline-from-2027') }),
    ]);
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
