import { ruleHorizon } from './rule-horizon';

const flexibilities = { ruleSetId: 'dea-flexibilities', version: '4', effectiveFrom: '2023-05-12', effectiveTo: '2026-12-31', title: 'fourth temporary extension' };
const baseline = { ruleSetId: 'ryan-haight', version: '1', effectiveFrom: '2027-01-01', effectiveTo: null, fallback: true, title: 'Ryan Haight baseline' };

describe('ruleHorizon', () => {
  it('lists a set ending within 120 days with only a fallback after it, naming the fallback', () => {
    expect(ruleHorizon([flexibilities, baseline], '2026-12-07')).toEqual([
      { ruleSetId: 'dea-flexibilities', version: '4', title: 'fourth temporary extension', endsOn: '2026-12-31', daysLeft: 24, then: 'ryan-haight (Ryan Haight baseline)' },
    ]);
  });

  it('does not list it once a final successor starts the next day', () => {
    const fifth = { ruleSetId: 'dea-flexibilities', version: '5', effectiveFrom: '2027-01-01', effectiveTo: '2027-12-31' };
    expect(ruleHorizon([flexibilities, baseline, fifth], '2026-12-07')).toEqual([]);
  });

  it('does not count a set on another topic as a successor, but does one that says it continues it', () => {
    const other = { ruleSetId: 'buprenorphine', version: '1', effectiveFrom: '2025-12-31', effectiveTo: null };
    expect(ruleHorizon([flexibilities, other], '2026-12-07')).toHaveLength(1);
    expect(ruleHorizon([flexibilities, { ...other, ruleSetId: 'fifth-extension', continues: 'dea-flexibilities' }], '2026-12-07')).toEqual([]);
  });

  it('does not count a proposed rule as a successor', () => {
    const proposed = { ruleSetId: 'special-registration', version: 'p', effectiveFrom: '2027-01-01', effectiveTo: null, proposed: true, continues: 'dea-flexibilities' };
    expect(ruleHorizon([flexibilities, proposed], '2026-12-07').map((i) => [i.ruleSetId, i.then])).toEqual([['dea-flexibilities', 'no rule set: answers for later dates are refused']]);
  });

  it('ignores sets ending after the window or already ended', () => {
    expect(ruleHorizon([flexibilities], '2026-09-01')).toEqual([]);
    expect(ruleHorizon([flexibilities], '2027-01-01')).toEqual([]);
    expect(ruleHorizon([flexibilities], '2026-09-02').map((i) => i.daysLeft)).toEqual([120]);
  });
});
