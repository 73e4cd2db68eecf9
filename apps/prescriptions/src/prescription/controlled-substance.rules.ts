import { type HorizonItem, ruleHorizon } from '@carebridge/shared-kernel';
import type { DeaSchedule, EncounterContext } from './prescription.events';

/**
 * Controlled-substance rules checked when a prescription is signed. The telemedicine policy is
 * a list of dated rule sets; the one in force on the signing date applies. Every rule set names
 * its source. A rule set with `enabled: false` is kept for reference and never applied.
 *
 * Sources were searched on 2026-12-07 (issue 16): the fourth temporary extension runs through
 * 2026-12-31 (its Federal Register page number was not found in what was read); no successor was
 * found, so from 2027-01-01 the Ryan Haight baseline applies, with the buprenorphine and VA final
 * rules (90 FR 6504, 90 FR 6523, both effective 2025-12-31 after 90 FR 13410). Several sets can be
 * in force on one day: a prescription is allowed when a rule of any of them allows it. The
 * special-registration rule is only proposed (90 FR 6541) and stays disabled.
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
  /** The practitioner reviewed the PDMP of the patient's state (buprenorphine rule). */
  readonly requiresPdmpReview?: boolean;
  /** Total days' supply under this rule across prescriptions (the initial six months may be split). */
  readonly maxTotalDaysSupply?: number;
  /** A VA practitioner, for a VA patient another VA practitioner evaluated in person (VA rule). */
  readonly requiresVaContinuity?: boolean;
  readonly source: string;
}

export interface TelemedicineRuleSet {
  readonly id: string;
  readonly title: string;
  /** Inclusive, calendar dates (UTC). */
  readonly effectiveFrom: string;
  readonly effectiveThrough: string | null;
  readonly enabled: boolean;
  /** `fallback`: the law when nothing else applies (the Ryan Haight baseline); not a successor on the rule horizon. */
  readonly role?: 'fallback';
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
      'DEA/HHS, Fourth Temporary Extension of COVID-19 Telemedicine Flexibilities for Prescription of Controlled Medications, temporary rule effective 2026-01-01 through 2026-12-31, amending 21 CFR 1307.41 and 42 CFR 12.1 (Federal Register, published 2025-12-31; read on 2026-12-07 via pamedsoc.org and natlawreview.com; FR page not found)',
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
    title: 'Ryan Haight Act in-person evaluation requirement (the baseline when no temporary rule applies)',
    effectiveFrom: '2027-01-01',
    effectiveThrough: null,
    enabled: true,
    role: 'fallback',
    sources: [
      '21 U.S.C. 829(e) (Ryan Haight Online Pharmacy Consumer Protection Act of 2008): in-person medical evaluation required (pamedsoc.org, 2026-01-28)',
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
    ],
  },
  {
    id: 'buprenorphine-telemedicine-final-rule',
    title: 'Expansion of Buprenorphine Treatment via Telemedicine Encounter (final rule)',
    effectiveFrom: '2025-12-31',
    effectiveThrough: null,
    enabled: true,
    sources: [
      '90 FR 6504 (2025-01-17), final rule, 21 CFR part 1306 and 42 CFR part 12; effective date delayed to 2025-12-31 by 90 FR 13410 (2025-03-20)',
      'After reviewing the PDMP of the state where the patient is, an initial six-month supply of schedule III-V medications approved for OUD, which may be split across several prescriptions totalling six calendar months, including by audio-only; with the PDMP unavailable (attempt documented) seven days at a time (natlawreview.com, federalregister.com text read 2026-12-07)',
    ],
    rules: [
      {
        id: 'buprenorphine-oud-after-pdmp-review',
        schedules: III_TO_V,
        modalities: ['audio-video', 'audio-only'],
        oudOnly: true,
        requiresPriorInPerson: false,
        maxDaysSupply: null,
        requiresPdmpReview: true,
        maxTotalDaysSupply: 180,
        source: '90 FR 6504: initial six-month supply (split allowed) after a PDMP review, audio-only allowed',
      },
      {
        id: 'buprenorphine-oud-pdmp-unavailable',
        schedules: III_TO_V,
        modalities: ['audio-video', 'audio-only'],
        oudOnly: true,
        requiresPriorInPerson: false,
        maxDaysSupply: 7,
        maxTotalDaysSupply: 180,
        source: '90 FR 6504: PDMP unavailable and the attempt documented: seven days per prescription, up to the six-month total',
      },
    ],
  },
  {
    id: 'va-continuity-of-care-final-rule',
    title: 'Continuity of Care via Telemedicine for Veterans Affairs Patients (final rule)',
    effectiveFrom: '2025-12-31',
    effectiveThrough: null,
    enabled: true,
    sources: [
      '90 FR 6523 (2025-01-17), final rule; effective date delayed to 2025-12-31 by 90 FR 13410: a VA practitioner acting within VA employment may prescribe by telemedicine to a VA patient another VA practitioner evaluated in person at any time (api.ai-analytics.org/dea-action/2025-01044, read 2026-12-07)',
    ],
    rules: [
      {
        id: 'va-patient-seen-in-person-by-va',
        schedules: ALL,
        modalities: ['audio-video'],
        oudOnly: false,
        requiresPriorInPerson: false,
        maxDaysSupply: null,
        requiresVaContinuity: true,
        source: '90 FR 6523: VA practitioner, VA patient, in-person evaluation by another VA practitioner (audio-only under this rule not verified: not allowed here)',
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

/** Every enabled rule set in force on `date` (temporary rules first, then permanent ones). */
export function ruleSetsInForce(date: Date, sets: readonly TelemedicineRuleSet[] = TELEMEDICINE_RULE_SETS): TelemedicineRuleSet[] {
  const day = date.toISOString().slice(0, 10);
  return sets.filter((set) => set.enabled && set.effectiveFrom <= day && (set.effectiveThrough === null || day <= set.effectiveThrough));
}

/** The first enabled rule set in force on `date`, or undefined when none covers it. */
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
  const inForce = ruleSetsInForce(date, sets);
  if (inForce.length === 0) return { allowed: false, ruleSetId: null, reason: 'no controlled-substance telemedicine rule set covers this date' };
  const prior = encounter.priorTelemedicineDaysSupply ?? 0;
  for (const set of inForce) {
    const rule = set.rules.find(
      (r) =>
        r.schedules.includes(schedule) &&
        r.modalities.includes(encounter.modality) &&
        (!r.oudOnly || encounter.indication === 'opioid-use-disorder') &&
        (!r.requiresPriorInPerson || encounter.priorInPersonEvaluation) &&
        (r.maxDaysSupply === null || daysSupply <= r.maxDaysSupply) &&
        (r.maxTotalDaysSupply === undefined || prior + daysSupply <= r.maxTotalDaysSupply) &&
        (!r.requiresPdmpReview || encounter.pdmp === 'reviewed') &&
        (r.id !== 'buprenorphine-oud-pdmp-unavailable' || encounter.pdmp === 'unavailable') &&
        (!r.requiresVaContinuity || encounter.vaContinuity === true),
    );
    if (rule) return { allowed: true, ruleSetId: set.id, ruleId: rule.id };
  }
  return {
    allowed: false,
    ruleSetId: inForce[0]!.id,
    reason: `schedule ${schedule} by ${encounter.modality} is not permitted under ${inForce.map((s) => s.id).join(', ')}`,
  };
}

/** The telemedicine rule sets ending within 120 days of `today` with no successor (the baseline is no successor). */
export function telemedicineHorizon(today: string, sets: readonly TelemedicineRuleSet[] = TELEMEDICINE_RULE_SETS): HorizonItem[] {
  return ruleHorizon(
    sets.map((s) => ({
      ruleSetId: s.id,
      version: s.effectiveFrom,
      title: s.title,
      effectiveFrom: s.effectiveFrom,
      effectiveTo: s.effectiveThrough,
      ...(!s.enabled && { proposed: true }),
      ...(s.role === 'fallback' && { fallback: true }),
    })),
    today,
  );
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
