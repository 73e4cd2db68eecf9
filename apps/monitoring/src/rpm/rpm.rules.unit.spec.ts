import { type PeriodFacts, codesForMonth, codesForPeriod, deviceSupplyCode, firstOpenMonthStart, lastDayOfMonth, managementCodes, monthsOverlapping, periodOf, ruleSetOn } from './rpm.rules';

const rules2026 = ruleSetOn('2026-03-15')!;
const rules2025 = ruleSetOn('2025-06-30')!;
const facts: PeriodFacts = {
  periodEnd: '2026-03-30',
  daysWithReadings: 16,
  managementMonths: [],
  interpretationMinutes: 0,
  consented: true,
  established: true,
  hasPractitioner: true,
  setupBilled: true,
};

describe('RPM rule sets', () => {
  it('picks the set in force on a day, with its source', () => {
    expect(rules2026.version).toBe('2026');
    expect(rules2026.source).toContain('CY2026');
    expect(rules2025.version).toBe('2025');
    expect(ruleSetOn('2024-12-31')).toBeUndefined();
  });
});

describe('device supply (30-day period)', () => {
  it('16 days of readings: 99454', () => expect(deviceSupplyCode(16, rules2026)).toEqual({ code: '99454', units: 1 }));
  it('30 days: 99454', () => expect(deviceSupplyCode(30, rules2026)).toEqual({ code: '99454', units: 1 }));
  it('15 days: 99445 (2026), never both', () => expect(deviceSupplyCode(15, rules2026)).toEqual({ code: '99445', units: 1 }));
  it('2 days: 99445', () => expect(deviceSupplyCode(2, rules2026)).toEqual({ code: '99445', units: 1 }));
  it('1 day: neither', () => expect(deviceSupplyCode(1, rules2026)).toBeUndefined());
  it('15 days under the 2025 rules: nothing (99445 did not exist)', () => expect(deviceSupplyCode(15, rules2025)).toBeUndefined());
});

describe('management minutes (interactive)', () => {
  it('9 minutes: none', () => expect(managementCodes(9, true, rules2026)).toEqual([]));
  it('10 minutes: 99470', () => expect(managementCodes(10, true, rules2026)).toEqual([{ code: '99470', units: 1 }]));
  it('19 minutes: 99470', () => expect(managementCodes(19, true, rules2026)).toEqual([{ code: '99470', units: 1 }]));
  it('20 minutes: 99457 only, never with 99470', () => expect(managementCodes(20, true, rules2026)).toEqual([{ code: '99457', units: 1 }]));
  it('40 minutes: 99457 + 99458 x1', () =>
    expect(managementCodes(40, true, rules2026)).toEqual([
      { code: '99457', units: 1 },
      { code: '99458', units: 1 },
    ]));
  it('45 minutes: 99457 + 99458 x1 (each further full 20 minutes, no rounding up)', () =>
    expect(managementCodes(45, true, rules2026)).toEqual([
      { code: '99457', units: 1 },
      { code: '99458', units: 1 },
    ]));
  it('60 minutes: 99457 + 99458 x2', () =>
    expect(managementCodes(60, true, rules2026)).toEqual([
      { code: '99457', units: 1 },
      { code: '99458', units: 2 },
    ]));
  it('without a real-time interaction: none', () => expect(managementCodes(45, false, rules2026)).toEqual([]));
  it('10 minutes under the 2025 rules: none', () => expect(managementCodes(10, true, rules2025)).toEqual([]));
});

describe('a closed period', () => {
  it('bills set-up once per episode, from 2 days in 2026', () => {
    expect(codesForPeriod({ ...facts, daysWithReadings: 3, setupBilled: false }, rules2026).codes).toEqual([
      { code: '99445', units: 1 },
      { code: '99453', units: 1 },
    ]);
    expect(codesForPeriod({ ...facts, daysWithReadings: 3, setupBilled: true }, rules2026).codes).toEqual([{ code: '99445', units: 1 }]);
  });

  it('adds 99091 for 30 minutes of interpretation', () => {
    expect(codesForPeriod({ ...facts, interpretationMinutes: 30 }, rules2026).codes).toContainEqual({ code: '99091', units: 1 });
    expect(codesForPeriod({ ...facts, interpretationMinutes: 29 }, rules2026).codes).not.toContainEqual({ code: '99091', units: 1 });
  });

  it('bills nothing without consent or an established patient', () => {
    expect(codesForPeriod({ ...facts, consented: false }, rules2026)).toEqual({ codes: [], reasonCodes: ['RPM.NO_CONSENT'], months: [] });
    expect(codesForPeriod({ ...facts, established: false }, rules2026)).toEqual({ codes: [], reasonCodes: ['RPM.NOT_ESTABLISHED'], months: [] });
    expect(codesForPeriod({ ...facts, consented: false, managementMonths: [{ month: '2026-03', minutes: 45, interactive: true, rules: rules2026 }] }, rules2026).months).toEqual([
      { month: '2026-03', minutes: 45, interactive: true, codes: [], reasonCodes: ['RPM.NO_CONSENT'] },
    ]);
  });

  it('says why a 1-day period bills no device code', () => {
    expect(codesForPeriod({ ...facts, daysWithReadings: 1 }, rules2026)).toEqual({ codes: [], reasonCodes: ['RPM.TOO_FEW_DAYS'], months: [] });
  });
});

describe('management per calendar month', () => {
  const month = (minutes: number, interactive = true) => ({ month: '2026-03', minutes, interactive, rules: rules2026 });
  const codes = (minutes: number) => codesForPeriod({ ...facts, managementMonths: [month(minutes)] }, rules2026);

  it('9/10/20/45 minutes in one month: none / 99470 / 99457 / 99457 + 99458', () => {
    expect(codes(9).codes).toEqual([{ code: '99454', units: 1 }]);
    expect(codes(9).reasonCodes).toEqual(['RPM.DAYS_16_TO_30', 'RPM.TOO_FEW_MINUTES']);
    expect(codes(10).codes).toEqual([{ code: '99454', units: 1 }, { code: '99470', units: 1 }]);
    expect(codes(20).codes).toEqual([{ code: '99454', units: 1 }, { code: '99457', units: 1 }]);
    expect(codes(45).codes).toEqual([{ code: '99454', units: 1 }, { code: '99457', units: 1 }, { code: '99458', units: 1 }]);
  });

  it('each month is judged on its own: 8 minutes in October and 7 in November bill nothing', () => {
    const result = codesForPeriod(
      { ...facts, managementMonths: [{ ...month(8), month: '2026-10' }, { ...month(7), month: '2026-11' }] },
      rules2026,
    );
    expect(result.codes).toEqual([{ code: '99454', units: 1 }]);
    expect(result.months.map((m) => [m.month, m.codes])).toEqual([['2026-10', []], ['2026-11', []]]);
  });

  it('a month is judged by the rule set in force on its last day', () => {
    expect(codesForMonth({ month: '2025-12', minutes: 15, interactive: true, rules: ruleSetOn(lastDayOfMonth('2025-12')) })).toMatchObject({ codes: [], ruleSetVersion: '2025' });
    expect(codesForMonth({ month: '2026-01', minutes: 15, interactive: true, rules: ruleSetOn(lastDayOfMonth('2026-01')) })).toMatchObject({ codes: [{ code: '99470', units: 1 }], ruleSetVersion: '2026' });
    expect(codesForMonth({ month: '2024-12', minutes: 30, interactive: true, rules: undefined })).toMatchObject({ codes: [], reasonCodes: ['RPM.NO_RULE_SET'] });
  });

  it('month arithmetic (UTC)', () => {
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-12')).toBe('2026-12-31');
    expect(firstOpenMonthStart('2026-03-30')).toBe('2026-03-01');
    expect(firstOpenMonthStart('2026-03-31')).toBe('2026-04-01');
    expect(firstOpenMonthStart('2026-12-31')).toBe('2027-01-01');
    expect(monthsOverlapping('2026-01-10', '2026-02-08')).toEqual(['2026-01', '2026-02']);
    expect(monthsOverlapping('2026-11-20', '2026-12-19')).toEqual(['2026-11', '2026-12']);
    expect(monthsOverlapping('2026-12-15', '2027-01-13')).toEqual(['2026-12', '2027-01']);
  });
});

describe('periods', () => {
  it('are 30 days from the first reading', () => {
    expect(periodOf('2026-01-10', 0)).toEqual({ start: '2026-01-10', end: '2026-02-08' });
    expect(periodOf('2026-01-10', 1)).toEqual({ start: '2026-02-09', end: '2026-03-10' });
  });
});

describe('remote therapeutic monitoring (RTM), CY2026', () => {
  const rules = ruleSetOn('2026-06-30')!;
  const base = { periodEnd: '2026-06-30', managementMonths: [], interpretationMinutes: 40, consented: true, established: true, hasPractitioner: true, setupBilled: true };
  const msk = { kind: 'rtm', system: 'musculoskeletal' } as const;

  it('bills 98977 for 16 days of musculoskeletal data and 98985 for 2-15, never both, and no 99091', () => {
    expect(codesForPeriod({ ...base, daysWithReadings: 16, program: msk }, rules).codes).toEqual([{ code: '98977', units: 1 }]);
    expect(codesForPeriod({ ...base, daysWithReadings: 15, program: msk }, rules).codes).toEqual([{ code: '98985', units: 1 }]);
    expect(codesForPeriod({ ...base, daysWithReadings: 1, program: msk }, rules).codes).toEqual([]);
  });

  it('uses the respiratory and cognitive-behavioral codes of their systems', () => {
    expect(codesForPeriod({ ...base, daysWithReadings: 20, program: { kind: 'rtm', system: 'respiratory' } }, rules).codes).toEqual([{ code: '98976', units: 1 }]);
    expect(codesForPeriod({ ...base, daysWithReadings: 5, program: { kind: 'rtm', system: 'cognitive-behavioral' } }, rules).codes).toEqual([{ code: '98986', units: 1 }]);
  });

  it('bills RTM management by the same time steps: 98979 at 10, 98980 at 20, 98981 per further full 20', () => {
    const month = (minutes: number) => ({ month: '2026-05', minutes, interactive: true, rules });
    const codes = (minutes: number) => codesForPeriod({ ...base, daysWithReadings: 0, managementMonths: [month(minutes)], program: msk }, rules).months[0]!.codes;
    expect([codes(9), codes(10), codes(20), codes(45)]).toEqual([
      [],
      [{ code: '98979', units: 1 }],
      [{ code: '98980', units: 1 }],
      [{ code: '98980', units: 1 }, { code: '98981', units: 1 }],
    ]);
  });

  it('needs no established patient for RTM (RPM does)', () => {
    expect(codesForPeriod({ ...base, established: false, daysWithReadings: 20, program: msk }, rules).codes).toEqual([{ code: '98977', units: 1 }]);
    expect(codesForPeriod({ ...base, established: false, daysWithReadings: 20 }, rules).codes).toEqual([]);
  });

  it('a period bills one programme only: RPM codes for an RPM patient, never RTM ones', () => {
    const rpm = codesForPeriod({ ...base, daysWithReadings: 20 }, rules).codes.map((c) => c.code);
    expect(rpm).toEqual(['99454', '99091']);
  });
});
