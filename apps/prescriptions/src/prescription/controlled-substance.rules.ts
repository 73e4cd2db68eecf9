import type { DeaSchedule, EncounterContext } from './prescription.events';

/**
 * Controlled-substance rules checked when a prescription is signed. The telemedicine policy is
 * a list of dated rule sets; the one in force on the signing date applies. Every rule set names
 * its source. A rule set with `enabled: false` is kept for reference and never applied.
 *
 * VERIFY before production (written without internet access):
 * - the Federal Register citation of the extension of the flexibilities through 2026-12-31
 *   (the date is taken from issue 5; the earlier extensions are cited below);
 * - the post-2026 rule set, which encodes only the Ryan Haight Act baseline and the
 *   buprenorphine telemedicine final rule as we understand them;
 * - whether the proposed special-registration rule has been finalised or withdrawn.
 */

export interface TelemedicineRule {
  readonly id: string;
  readonly schedules: readonly DeaSchedule[];
  readonly modalities: readonly EncounterContext['modality'][];
  /** True when the rule needs the encounter to treat opioid use disorder. */
  readonly oudOnly: boolean;
  /** True when the rule needs a prior in-person medical evaluation. */
  readonly requiresPriorInPerson: boolean;
  readonly maxDaysSupply: number | null;
  readonly source: string;
}

export interface TelemedicineRuleSet {
  readonly id: string;
  readonly title: string;
  /** Inclusive, calendar dates (UTC). */
  readonly effectiveFrom: string;
  readonly effectiveThrough: string | null;
  readonly enabled: boolean;
  readonly sources: readonly string[];
  readonly rules: readonly TelemedicineRule[];
}

const ALL: readonly DeaSchedule[] = ['II', 'III', 'IV', 'V'];
const III_TO_V: readonly DeaSchedule[] = ['III', 'IV', 'V'];

export const TELEMEDICINE_RULE_SETS: readonly TelemedicineRuleSet[] = [
  {
    id: 'dea-hhs-telemedicine-flexibilities-through-2026',
    title: 'DEA/HHS temporary extension of COVID-19 telemedicine flexibilities for prescribing controlled medications',
    effectiveFrom: '2023-05-12',
    effectiveThrough: '2026-12-31',
    enabled: true,
    sources: [
      '88 FR 30037 (2023-05-10), first temporary extension',
      '88 FR 69879 (2023-10-10), second temporary extension through 2024-12-31',
      '89 FR 91253 (2024-11-19), third temporary extension through 2025-12-31',
      'extension through 2026-12-31 as stated in Carebridge issue 5 (Federal Register citation to verify)',
    ],
    rules: [
      {
        id: 'audio-video-schedule-ii-v',
        schedules: ALL,
        modalities: ['audio-video'],
        oudOnly: false,
        requiresPriorInPerson: false,
        maxDaysSupply: null,
        source: 'flexibility: schedule II-V by audio-video telemedicine without a prior in-person evaluation',
      },
      {
        id: 'audio-only-oud-schedule-iii-v',
        schedules: III_TO_V,
        modalities: ['audio-only'],
        oudOnly: true,
        requiresPriorInPerson: false,
        maxDaysSupply: null,
        source: 'flexibility: schedule III-V for opioid use disorder treatment by audio-only telemedicine',
      },
      IN_PERSON_RULE(),
    ],
  },
  {
    id: 'ryan-haight-baseline-from-2027',
    title: 'Ryan Haight Act in-person evaluation requirement, with the buprenorphine telemedicine rule',
    effectiveFrom: '2027-01-01',
    effectiveThrough: null,
    enabled: true,
    sources: [
      '21 U.S.C. 829(e) (Ryan Haight Online Pharmacy Consumer Protection Act of 2008): in-person medical evaluation required',
      '90 FR 6504 (2025-01-17), Expansion of Buprenorphine Treatment via Telemedicine Encounter, final rule (to verify: 6-month supply limit and its conditions)',
    ],
    rules: [
      IN_PERSON_RULE(),
      {
        id: 'telemedicine-after-in-person-evaluation',
        schedules: ALL,
        modalities: ['audio-video'],
        oudOnly: false,
        requiresPriorInPerson: true,
        maxDaysSupply: null,
        source: '21 U.S.C. 829(e)(2): prescribing practitioner has conducted at least one in-person medical evaluation',
      },
      {
        id: 'buprenorphine-oud-telemedicine',
        schedules: III_TO_V,
        modalities: ['audio-video', 'audio-only'],
        oudOnly: true,
        requiresPriorInPerson: false,
        maxDaysSupply: 180,
        source: '90 FR 6504: schedule III-V narcotics approved for OUD, up to a six-month supply by telemedicine',
      },
    ],
  },
  {
    id: 'dea-special-registration-proposed',
    title: 'Special Registrations for Telemedicine and Limited State Telemedicine Registrations (proposed rule)',
    effectiveFrom: '2027-01-01',
    effectiveThrough: null,
    // Proposed, not final: never applied until the final rule is published and encoded.
    enabled: false,
    sources: ['90 FR 6541 (2025-01-17), notice of proposed rulemaking'],
    rules: [],
  },
];

function IN_PERSON_RULE(): TelemedicineRule {
  return {
    id: 'in-person-encounter',
    schedules: ALL,
    modalities: ['in-person'],
    oudOnly: false,
    requiresPriorInPerson: false,
    maxDaysSupply: null,
    source: '21 U.S.C. 829(e): prescription issued after an in-person medical evaluation',
  };
}

/** The enabled rule set in force on `date`, or undefined when none covers it. */
export function ruleSetInForce(date: Date, sets: readonly TelemedicineRuleSet[] = TELEMEDICINE_RULE_SETS): TelemedicineRuleSet | undefined {
  const day = date.toISOString().slice(0, 10);
  return sets.find(
    (set) => set.enabled && set.effectiveFrom <= day && (set.effectiveThrough === null || day <= set.effectiveThrough),
  );
}

export type PolicyOutcome =
  | { readonly allowed: true; readonly ruleSetId: string; readonly ruleId: string }
  | { readonly allowed: false; readonly ruleSetId: string | null; readonly reason: string };

export function telemedicinePolicy(
  schedule: DeaSchedule,
  encounter: EncounterContext,
  daysSupply: number,
  date: Date,
  sets: readonly TelemedicineRuleSet[] = TELEMEDICINE_RULE_SETS,
): PolicyOutcome {
  const set = ruleSetInForce(date, sets);
  if (!set) return { allowed: false, ruleSetId: null, reason: 'no controlled-substance telemedicine rule set covers this date' };
  const rule = set.rules.find(
    (r) =>
      r.schedules.includes(schedule) &&
      r.modalities.includes(encounter.modality) &&
      (!r.oudOnly || encounter.indication === 'opioid-use-disorder') &&
      (!r.requiresPriorInPerson || encounter.priorInPersonEvaluation) &&
      (r.maxDaysSupply === null || daysSupply <= r.maxDaysSupply),
  );
  if (!rule) {
    return {
      allowed: false,
      ruleSetId: set.id,
      reason: `schedule ${schedule} by ${encounter.modality} is not permitted under ${set.id}`,
    };
  }
  return { allowed: true, ruleSetId: set.id, ruleId: rule.id };
}

/** 21 CFR 1306.12(a): a schedule II prescription may not be refilled. */
export const SCHEDULE_II_MAX_REFILLS = 0;
/** 21 CFR 1306.22(a): schedule III-IV, at most five refills within six months of issue. */
export const SCHEDULE_III_IV_MAX_REFILLS = 5;
export const SCHEDULE_III_IV_REFILL_MONTHS = 6;

/** Calendar months later, in UTC; the 31st of a longer month lands on the last day of a shorter one. */
export function addMonths(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target;
}

export function maxRefills(schedule: DeaSchedule | null): number | null {
  switch (schedule) {
    case 'II':
      return SCHEDULE_II_MAX_REFILLS;
    case 'III':
    case 'IV':
      return SCHEDULE_III_IV_MAX_REFILLS;
    case 'V':
    case null:
      return null;
  }
}

/** DEA registration number: two letters and seven digits with a check digit (DEA Diversion, "Registration"). */
export function isValidDeaNumber(value: string): boolean {
  const match = /^[A-Z][A-Z9](\d{7})$/.exec(value);
  if (!match) return false;
  const d = match[1]!.split('').map(Number);
  const sum = d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!);
  return sum % 10 === d[6];
}
