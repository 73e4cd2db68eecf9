import { estimatedWaitMinutes } from './estimated-wait.rules';

const free = { inVisitForMinutes: null, waiting: 0 };

describe('estimated wait in the urgent-care queue (15-minute average visit)', () => {
  it('shares the patients ahead among free providers: with two free, the first two wait for nobody', () => {
    expect([1, 2, 3, 4, 5].map((position) => estimatedWaitMinutes(position, [free, free], 15))).toEqual([0, 0, 15, 15, 30]);
  });

  it('counts the rest of the visit a provider is in, and the patients already assigned to them', () => {
    // One provider 10 minutes into a visit: free in 5; another with one assigned patient: free in 15.
    const busy = [{ inVisitForMinutes: 10, waiting: 0 }, { inVisitForMinutes: null, waiting: 1 }];
    expect([1, 2, 3].map((position) => estimatedWaitMinutes(position, busy, 15))).toEqual([5, 15, 20]);
  });

  it('treats an overrun visit as ending within a minute, and estimates with one provider when none is on duty', () => {
    expect(estimatedWaitMinutes(1, [{ inVisitForMinutes: 40, waiting: 0 }], 15)).toBe(1);
    expect(estimatedWaitMinutes(3, [], 15)).toBe(30);
  });
});
