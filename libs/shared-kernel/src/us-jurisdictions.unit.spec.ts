import { US_JURISDICTIONS, US_STATES, dateInJurisdiction, isUsJurisdiction, validThroughIn } from './us-jurisdictions';

describe('US jurisdictions', () => {
  it('lists the 50 states and DC, and the five inhabited territories besides', () => {
    expect(US_STATES).toHaveLength(51);
    expect(US_JURISDICTIONS).toHaveLength(56);
    expect(isUsJurisdiction('PR')).toBe(true);
    expect(isUsJurisdiction('ZZ')).toBe(false);
    expect(isUsJurisdiction('toString')).toBe(false);
  });

  it('gives the date of an instant where the jurisdiction is, across daylight-saving time', () => {
    expect(dateInJurisdiction('CA', '2028-01-01T05:30:00Z')).toBe('2027-12-31');
    expect(dateInJurisdiction('NY', '2028-01-01T05:30:00Z')).toBe('2028-01-01');
    expect(dateInJurisdiction('NY', '2027-07-01T03:30:00Z')).toBe('2027-06-30');
    expect(dateInJurisdiction('HI', new Date('2028-01-01T09:59:00Z'))).toBe('2027-12-31');
    expect(dateInJurisdiction('GU', '2027-03-31T15:00:00Z')).toBe('2027-04-01');
    expect(dateInJurisdiction('ZZ', '2027-03-31T23:00:00Z')).toBe('2027-03-31');
  });

  it('keeps a licence valid through the last minute of its expiry day where it was issued', () => {
    // 22:00 EDT on the expiry day is already the next day in UTC.
    expect(validThroughIn('NY', '2027-03-31', '2027-04-01T02:00:00Z')).toBe(true);
    expect(validThroughIn('NY', '2027-03-31', '2027-04-01T04:00:00Z')).toBe(false);
    // 08:00 in Guam on the day after expiry is still the expiry day in UTC.
    expect(validThroughIn('GU', '2027-03-31', '2027-03-31T22:00:00Z')).toBe(false);
  });
});

describe('validThroughIn across zones and daylight-saving time', () => {
  it('ends a licence at local midnight after its expiry day, whatever the offset that day', () => {
    // 2027-03-14 is the US spring-forward day; 2027-11-07 the fall-back day.
    for (const [code, day] of [['NY', '2027-03-13'], ['NY', '2027-03-14'], ['CA', '2027-11-06'], ['CA', '2027-11-07'], ['HI', '2027-06-30'], ['GU', '2027-06-30'], ['AZ', '2027-03-14']] as const) {
      const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      // Every hour of two days around the expiry: valid exactly while the local date is the expiry day or before.
      for (let h = -24; h < 48; h++) {
        const at = new Date(Date.parse(`${day}T12:00:00Z`) + h * 3_600_000);
        expect([code, at.toISOString(), validThroughIn(code, day, at)]).toEqual([code, at.toISOString(), dateInJurisdiction(code, at) <= day]);
      }
      expect(dateInJurisdiction(code, new Date(Date.parse(`${next}T12:00:00Z`)))).toBe(next);
    }
  });
});
