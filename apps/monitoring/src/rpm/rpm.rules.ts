import type { MonitoringProgram, RtmSystem } from './rpm.events';

export type { MonitoringProgram, RtmSystem };
/**
 * RPM billing rules as dated data: a rule change is a new rule set, and a period is always
 * judged by the set in force on its last day, so replaying the billing projection gives the
 * same codes.
 */
export interface RpmRuleSet {
  readonly ruleSetId: string;
  readonly version: string;
  /** First and last day (inclusive, ISO dates) of service the set applies to. */
  readonly effectiveFrom: string;
  readonly effectiveTo?: string;
  readonly source: string;
  /** Device supply codes by the number of days with readings in the 30-day period (never two). */
  readonly deviceSupply: readonly { readonly code: string; readonly minDays: number; readonly maxDays: number }[];
  /** Set-up and patient education, once per episode of care. */
  readonly setup: { readonly code: string; readonly minDays: number };
  /**
   * Treatment management by clinical staff, needing an interactive (real-time) communication:
   * `firstTen` for 10-19 minutes (absent before 2026), `firstTwenty` at 20, `eachFurtherTwenty`
   * for each further full 20 minutes.
   */
  readonly management: {
    readonly firstTen?: string;
    readonly firstTwenty: string;
    readonly eachFurtherTwenty: string;
  };
  /** Collection and interpretation of physiologic data by a physician or QHP: 30 minutes. */
  readonly interpretation: { readonly code: string; readonly minMinutes: number };
  /**
   * Remote therapeutic monitoring (RTM): set-up, device supply per monitored system, management
   * with the same time steps. RPM and RTM are never billed for the same period by one practitioner:
   * a patient is enrolled in one programme, and a period bills that programme's codes only.
   */
  readonly rtm: {
    readonly setup: { readonly code: string; readonly minDays: number };
    readonly deviceSupply: Readonly<Record<RtmSystem, readonly { readonly code: string; readonly minDays: number; readonly maxDays: number }[]>>;
    readonly management: { readonly firstTen?: string; readonly firstTwenty: string; readonly eachFurtherTwenty: string };
    readonly source: string;
  };
}

export const RTM_SYSTEMS: readonly RtmSystem[] = ['respiratory', 'musculoskeletal', 'cognitive-behavioral'];

export const RPM_RULE_SETS: readonly RpmRuleSet[] = [
  {
    ruleSetId: 'cms-pfs-rpm',
    version: '2025',
    effectiveFrom: '2025-01-01',
    effectiveTo: '2025-12-31',
    source: 'CMS CY2025 Physician Fee Schedule final rule (CMS-1807-F): 99453/99454 need 16 days of data in 30 days; 99457, 99458, 99091',
    deviceSupply: [{ code: '99454', minDays: 16, maxDays: 30 }],
    setup: { code: '99453', minDays: 16 },
    management: { firstTwenty: '99457', eachFurtherTwenty: '99458' },
    interpretation: { code: '99091', minMinutes: 30 },
    rtm: {
      setup: { code: '98975', minDays: 16 },
      deviceSupply: {
        respiratory: [{ code: '98976', minDays: 16, maxDays: 30 }],
        musculoskeletal: [{ code: '98977', minDays: 16, maxDays: 30 }],
        'cognitive-behavioral': [{ code: '98978', minDays: 16, maxDays: 30 }],
      },
      management: { firstTwenty: '98980', eachFurtherTwenty: '98981' },
      source: 'CY2022 PFS final rule (RTM 98975-98981; 16 days of data in 30 for device supply); CY2024 PFS: RPM, not RTM, needs an established patient, and one practitioner bills RPM or RTM for a period',
    },
  },
  {
    ruleSetId: 'cms-pfs-rpm',
    version: '2026',
    effectiveFrom: '2026-01-01',
    source:
      'CMS CY2026 Physician Fee Schedule final rule (CMS-1832-F): new 99445 (device supply, 2-15 days in 30) and 99470 ' +
      '(first 10 minutes of management); 99454 16-30 days; 99453 set-up from 2 days; 99457, 99458, 99091 unchanged',
    deviceSupply: [
      { code: '99445', minDays: 2, maxDays: 15 },
      { code: '99454', minDays: 16, maxDays: 30 },
    ],
    setup: { code: '99453', minDays: 2 },
    management: { firstTen: '99470', firstTwenty: '99457', eachFurtherTwenty: '99458' },
    interpretation: { code: '99091', minMinutes: 30 },
    rtm: {
      setup: { code: '98975', minDays: 2 },
      deviceSupply: {
        respiratory: [{ code: '98984', minDays: 2, maxDays: 15 }, { code: '98976', minDays: 16, maxDays: 30 }],
        musculoskeletal: [{ code: '98985', minDays: 2, maxDays: 15 }, { code: '98977', minDays: 16, maxDays: 30 }],
        'cognitive-behavioral': [{ code: '98986', minDays: 2, maxDays: 15 }, { code: '98978', minDays: 16, maxDays: 30 }],
      },
      management: { firstTen: '98979', firstTwenty: '98980', eachFurtherTwenty: '98981' },
      source:
        'CMS CY2026 PFS final rule (90 FR 49266): 98984-98986 device supply for 2-15 days in 30 (not with 98976-98978), 98979 first 10 minutes of ' +
        'management with a real-time interaction; 98980/98981 at 20 and each further 20 minutes. The 2-day threshold of 98975 follows 99453 and is not verified',
    },
  },
];

export function ruleSetOn(day: string, sets: readonly RpmRuleSet[] = RPM_RULE_SETS): RpmRuleSet | undefined {
  return sets.find((s) => s.effectiveFrom <= day && (s.effectiveTo === undefined || day <= s.effectiveTo));
}

export interface BilledCode {
  readonly code: string;
  readonly units: number;
}

export function deviceSupplyCode(days: number, rules: RpmRuleSet): BilledCode | undefined {
  const match = rules.deviceSupply.find((d) => days >= d.minDays && days <= d.maxDays);
  return match ? { code: match.code, units: 1 } : undefined;
}

/**
 * Management codes for the interactive minutes of one month. Time is not rounded: CMS requires
 * the full 20 minutes for 99457 and for each unit of 99458 (45 minutes: 99457 + one 99458;
 * 40 minutes: the same), and the full 10 minutes for 99470. 99470 and 99457 are never billed
 * together. Without a real-time interaction nothing is billable.
 */
export function managementCodes(minutes: number, interactive: boolean, rules: RpmRuleSet, program: MonitoringProgram = { kind: 'rpm' }): BilledCode[] {
  if (!interactive) return [];
  const m = program.kind === 'rtm' ? rules.rtm.management : rules.management;
  if (minutes >= 20) {
    const further = Math.floor((minutes - 20) / 20);
    return [{ code: m.firstTwenty, units: 1 }, ...(further > 0 ? [{ code: m.eachFurtherTwenty, units: further }] : [])];
  }
  if (minutes >= 10 && m.firstTen !== undefined) return [{ code: m.firstTen, units: 1 }];
  return [];
}

/**
 * The management minutes of one calendar month (UTC, `YYYY-MM`), with the rule set in force on
 * the month's last day (undefined: none known).
 */
export interface MonthMinutes {
  readonly month: string;
  readonly minutes: number;
  readonly interactive: boolean;
}

export interface MonthFacts extends MonthMinutes {
  readonly rules: RpmRuleSet | undefined;
  /** Absent: RPM (patients enrolled before RTM existed). */
  readonly program?: MonitoringProgram;
}

export interface MonthCodes extends MonthMinutes {
  readonly codes: readonly BilledCode[];
  readonly reasonCodes: readonly string[];
  /** Version of the rule set the month was judged by (absent: none covered the month). */
  readonly ruleSetVersion?: string;
}

export interface PeriodFacts {
  readonly periodEnd: string;
  readonly daysWithReadings: number;
  /**
   * Management minutes per calendar month (CPT: 99470/99457/99458 are per calendar month), for
   * the months billed with this period: ended by the period's last day and not billed before.
   */
  readonly managementMonths: readonly MonthFacts[];
  readonly interpretationMinutes: number;
  readonly consented: boolean;
  readonly established: boolean;
  readonly hasPractitioner: boolean;
  /** 99453 was billed in an earlier period of this episode. */
  readonly setupBilled: boolean;
  /** Absent: RPM. */
  readonly program?: MonitoringProgram;
}

export interface PeriodCodes {
  /** Every code of the close: device supply, set-up, management of the months, interpretation. */
  readonly codes: readonly BilledCode[];
  readonly reasonCodes: readonly string[];
  readonly months: readonly MonthCodes[];
}

/** Management codes of one calendar month, judged by the rule set in force on its last day. */
export function codesForMonth(month: MonthFacts): MonthCodes {
  const base = { month: month.month, minutes: month.minutes, interactive: month.interactive };
  if (!month.rules) return { ...base, codes: [], reasonCodes: ['RPM.NO_RULE_SET'] };
  const codes = managementCodes(month.minutes, month.interactive, month.rules, month.program);
  const reasonCodes = codes.length === 0 && month.minutes > 0 ? [month.interactive ? 'RPM.TOO_FEW_MINUTES' : 'RPM.NO_INTERACTION'] : [];
  return { ...base, codes, reasonCodes, ruleSetVersion: month.rules.version };
}

/**
 * The codes one closed 30-day period qualifies for, with the reasons: device supply, set-up and
 * interpretation for the period; management for each calendar month handed in (`managementMonths`).
 */
export function codesForPeriod(facts: PeriodFacts, rules: RpmRuleSet): PeriodCodes {
  const program = facts.program ?? { kind: 'rpm' };
  const reasons: string[] = [];
  if (!facts.consented) reasons.push('RPM.NO_CONSENT');
  // CY2024 PFS: RPM, not RTM, needs an established patient.
  if (!facts.established && program.kind === 'rpm') reasons.push('RPM.NOT_ESTABLISHED');
  if (!facts.hasPractitioner) reasons.push('RPM.NO_PRACTITIONER');
  if (reasons.length > 0) {
    const months = facts.managementMonths.map((m) => ({ month: m.month, minutes: m.minutes, interactive: m.interactive, codes: [], reasonCodes: [...reasons] }));
    return { codes: [], reasonCodes: reasons, months };
  }

  const codes: BilledCode[] = [];
  const supplyTable = program.kind === 'rtm' ? rules.rtm.deviceSupply[program.system] : rules.deviceSupply;
  const setup = program.kind === 'rtm' ? rules.rtm.setup : rules.setup;
  const supply = deviceSupplyCode(facts.daysWithReadings, { ...rules, deviceSupply: supplyTable });
  if (supply) {
    codes.push(supply);
    reasons.push(facts.daysWithReadings >= 16 ? 'RPM.DAYS_16_TO_30' : 'RPM.DAYS_2_TO_15');
  } else {
    reasons.push('RPM.TOO_FEW_DAYS');
  }
  if (!facts.setupBilled && facts.daysWithReadings >= setup.minDays) codes.push({ code: setup.code, units: 1 });
  const months = facts.managementMonths.map((m) => codesForMonth({ ...m, program }));
  for (const month of months) {
    codes.push(...month.codes);
    for (const reason of month.reasonCodes) if (!reasons.includes(reason)) reasons.push(reason);
  }
  // 99091 interprets physiologic data: RPM only.
  if (program.kind === 'rpm' && facts.interpretationMinutes >= rules.interpretation.minMinutes) codes.push({ code: rules.interpretation.code, units: 1 });
  return { codes, reasonCodes: reasons, months };
}

/** `YYYY-MM` of an ISO date or timestamp (UTC). */
export const monthOf = (day: string): string => day.slice(0, 7);

/** Last day (ISO date) of a calendar month `YYYY-MM`. */
export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** First day of the first calendar month that has not ended by `day` (its month, unless `day` is a month's last day). */
export function firstOpenMonthStart(day: string): string {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
  return `${next.toISOString().slice(0, 7)}-01`;
}

/** The calendar months (`YYYY-MM`) that overlap [from, to] (ISO dates). */
export function monthsOverlapping(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = monthOf(from); m <= monthOf(to); m = monthOf(new Date(Date.parse(`${lastDayOfMonth(m)}T00:00:00Z`) + 86_400_000).toISOString())) {
    months.push(m);
  }
  return months;
}

/** The 30-day period (n = 0, 1, ...) counted from the day of the first reading. */
export function periodOf(firstReadingDay: string, index: number): { start: string; end: string } {
  const start = Date.parse(`${firstReadingDay}T00:00:00Z`) + index * 30 * 86_400_000;
  return { start: new Date(start).toISOString().slice(0, 10), end: new Date(start + 29 * 86_400_000).toISOString().slice(0, 10) };
}
