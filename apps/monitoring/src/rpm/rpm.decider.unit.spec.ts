import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata } from '@carebridge/shared-kernel';
import { PeriodNotOverError, type RpmCommand, rpmDecider } from './rpm.decider';
import type { RpmEvent, RpmManagementMonth } from './rpm.events';
import { type MonthFacts, ruleSetOn } from './rpm.rules';

const spec = DeciderSpecification.for(rpmDecider);
const meta: CommandMetadata = { now: new Date('2026-04-01T00:00:00Z'), actor: { id: 'rpm', role: 'system' }, correlationId: 'c' };
const rules = ruleSetOn('2026-03-30')!;
/** Management minutes of a calendar month as the periods job hands them in. */
const month = (m: string, minutes: number, interactive = true): MonthFacts => ({ month: m, minutes, interactive, rules: ruleSetOn(`${m}-28`) });
/** The same month as the event records it. */
const billed = (m: string, minutes: number, codes: { code: string; units: number }[], reasonCodes: string[] = []): RpmManagementMonth => ({
  month: m,
  minutes,
  interactive: true,
  codes,
  reasonCodes,
  ruleSetVersion: '2026',
});
const close = (overrides: Partial<RpmCommand['data']> = {}): RpmCommand => ({
  type: 'CloseRpmPeriod',
  data: {
    periodId: 'p1',
    patientId: 'pat',
    practitionerId: 'doc',
    periodStart: '2026-03-01',
    periodEnd: '2026-03-31',
    daysWithReadings: 16,
    managementMonths: [month('2026-03', 20)],
    interpretationMinutes: 0,
    consented: true,
    established: true,
    hasPractitioner: true,
    ruleSet: rules,
    ...overrides,
  },
  metadata: meta,
});
const closed = (codes: { code: string; units: number }[], reasonCodes: string[], overrides: Partial<RpmEvent['data']> = {}): RpmEvent => ({
  type: 'RpmPeriodClosed',
  data: {
    periodId: 'p1',
    patientId: 'pat',
    practitionerId: 'doc',
    periodStart: '2026-03-01',
    periodEnd: '2026-03-31',
    daysWithReadings: 16,
    managementMinutes: 20,
    interpretationMinutes: 0,
    interactive: true,
    codes,
    reasonCodes,
    ruleSet: { ruleSetId: rules.ruleSetId, version: rules.version, source: rules.source },
    managementMonths: [billed('2026-03', 20, [{ code: '99457', units: 1 }])],
    ...overrides,
  },
});

describe('RPM period', () => {
  it('closes with device, set-up and the ended month\'s management codes', () => {
    spec.given([]).when(close()).then([
      closed(
        [
          { code: '99454', units: 1 },
          { code: '99453', units: 1 },
          { code: '99457', units: 1 },
        ],
        ['RPM.DAYS_16_TO_30'],
      ),
    ]);
  });

  it('does not bill set-up again in a later period', () => {
    const first = closed([{ code: '99453', units: 1 }], [], { managementMonths: [] });
    spec.given([first]).when(close({ periodId: 'p2', periodStart: '2026-02-01', periodEnd: '2026-03-02', daysWithReadings: 15, managementMonths: [] })).then([
      closed([{ code: '99445', units: 1 }], ['RPM.DAYS_2_TO_15'], {
        periodId: 'p2',
        periodStart: '2026-02-01',
        periodEnd: '2026-03-02',
        daysWithReadings: 15,
        managementMinutes: 0,
        interactive: false,
        managementMonths: [],
      }),
    ]);
  });

  it('closes a period once', () => {
    spec.given([closed([], [])]).when(close()).thenNothingHappens();
  });

  it('refuses a period that has not ended', () => {
    spec.given([]).when(close({ periodEnd: '2026-04-01' })).thenThrows(PeriodNotOverError);
  });
});

describe('RPM management per calendar month', () => {
  /** A period 2026-03-11..2026-04-09 closing on 2026-04-10 with 16 days of readings and set-up billed before. */
  const later = (managementMonths: MonthFacts[]) =>
    close({ periodId: 'p2', periodStart: '2026-03-11', periodEnd: '2026-04-09', managementMonths });
  const laterClosed = (codes: { code: string; units: number }[], reasonCodes: string[], managementMonths: RpmManagementMonth[]) =>
    closed(codes, reasonCodes, {
      periodId: 'p2',
      periodStart: '2026-03-11',
      periodEnd: '2026-04-09',
      managementMinutes: managementMonths.reduce((s, m) => s + m.minutes, 0),
      interactive: managementMonths.some((m) => m.interactive),
      managementMonths,
    });
  const setUp = closed([{ code: '99454', units: 1 }, { code: '99453', units: 1 }], ['RPM.DAYS_16_TO_30'], {
    periodStart: '2026-02-09',
    periodEnd: '2026-03-10',
    managementMinutes: 0,
    interactive: false,
    managementMonths: [],
  });
  const at = { ...meta, now: new Date('2026-04-10T01:00:00Z') };
  const when = (command: RpmCommand) => spec.given([setUp]).when({ ...command, metadata: at });

  it.each([
    [9, [], ['RPM.TOO_FEW_MINUTES']],
    [10, [{ code: '99470', units: 1 }], []],
    [20, [{ code: '99457', units: 1 }], []],
    [45, [{ code: '99457', units: 1 }, { code: '99458', units: 1 }], []],
  ])('%i minutes in one calendar month', (minutes, codes, reasons) => {
    when(later([month('2026-03', minutes)])).then([
      laterClosed([{ code: '99454', units: 1 }, ...codes], ['RPM.DAYS_16_TO_30', ...reasons], [billed('2026-03', minutes, codes, reasons)]),
    ]);
  });

  it('15 minutes split 8 in October and 7 in November (one 30-day period): neither month reaches 10, no management code', () => {
    // Both entries fall in the period 2026-10-21..2026-11-19 (8 minutes on 10-30, 7 on 11-02):
    // counted per period they made 15 minutes (99470); per calendar month each month has too few.
    const october = close({ periodStart: '2026-10-21', periodEnd: '2026-11-19', managementMonths: [month('2026-10', 8)] });
    const octoberClosed = closed([{ code: '99454', units: 1 }, { code: '99453', units: 1 }], ['RPM.DAYS_16_TO_30', 'RPM.TOO_FEW_MINUTES'], {
      periodStart: '2026-10-21',
      periodEnd: '2026-11-19',
      managementMinutes: 8,
      managementMonths: [billed('2026-10', 8, [], ['RPM.TOO_FEW_MINUTES'])],
    });
    spec.given([]).when({ ...october, metadata: { ...meta, now: new Date('2026-11-20T00:15:00Z') } }).then([octoberClosed]);

    const november = close({ periodId: 'p2', periodStart: '2026-11-20', periodEnd: '2026-12-19', managementMonths: [month('2026-10', 8), month('2026-11', 7)] });
    spec
      .given([octoberClosed])
      .when({ ...november, metadata: { ...meta, now: new Date('2026-12-20T00:15:00Z') } })
      .then([
        closed([{ code: '99454', units: 1 }], ['RPM.DAYS_16_TO_30', 'RPM.TOO_FEW_MINUTES'], {
          periodId: 'p2',
          periodStart: '2026-11-20',
          periodEnd: '2026-12-19',
          managementMinutes: 7,
          managementMonths: [billed('2026-11', 7, [], ['RPM.TOO_FEW_MINUTES'])],
        }),
      ]);
  });

  it('leaves a month that has not ended by the period\'s last day to a later period', () => {
    // Minutes of April are handed in (the job asks only for ended months; the decider checks too).
    when(later([month('2026-03', 12), month('2026-04', 30)])).then([
      laterClosed([{ code: '99454', units: 1 }, { code: '99470', units: 1 }], ['RPM.DAYS_16_TO_30'], [billed('2026-03', 12, [{ code: '99470', units: 1 }])]),
    ]);
  });

  it('bills a month once even when two periods overlap it', () => {
    // 2026-03 is overlapped by 2026-02-09..2026-03-10 and 2026-03-11..2026-04-09; the first ends
    // before March does, so March is billed with the second, with all of its minutes.
    const marchBilled = laterClosed([{ code: '99454', units: 1 }, { code: '99457', units: 1 }], ['RPM.DAYS_16_TO_30'], [billed('2026-03', 25, [{ code: '99457', units: 1 }])]);
    spec
      .given([setUp, marchBilled])
      .when({ ...close({ periodId: 'p3', periodStart: '2026-04-10', periodEnd: '2026-05-09', managementMonths: [month('2026-03', 25), month('2026-04', 9)] }), metadata: { ...meta, now: new Date('2026-05-10T00:00:00Z') } })
      .then([
        closed([{ code: '99454', units: 1 }], ['RPM.DAYS_16_TO_30', 'RPM.TOO_FEW_MINUTES'], {
          periodId: 'p3',
          periodStart: '2026-04-10',
          periodEnd: '2026-05-09',
          managementMinutes: 9,
          interactive: true,
          managementMonths: [billed('2026-04', 9, [], ['RPM.TOO_FEW_MINUTES'])],
        }),
      ]);
  });

  it('treats the months of a period closed before management was monthly as billed', () => {
    const legacy = closed([{ code: '99454', units: 1 }, { code: '99453', units: 1 }, { code: '99470', units: 1 }], ['RPM.DAYS_16_TO_30'], {
      periodStart: '2026-02-09',
      periodEnd: '2026-03-10',
      managementMinutes: 10,
      managementMonths: undefined,
    });
    spec
      .given([legacy])
      .when({ ...later([month('2026-02', 30), month('2026-03', 30)]), metadata: at })
      .then([laterClosed([{ code: '99454', units: 1 }], ['RPM.DAYS_16_TO_30'], [])]);
  });
});
