import type { CodingCell, CoverageCell, ParityCell, RegistrationCell, RuleSource, StateException, StateSource } from './state-cells.rules';

/**
 * The shape of coverage rules once loaded and validated (rule-set.loader.ts checks the JSON files
 * in ./data against it at boot). Pure types and look-ups: the engine (determine.rules.ts) uses them.
 */

export type { RuleSource };

interface RuleBase {
  /** Stable id, e.g. `medicare.originating-site.2028`. */
  readonly id: string;
  /** Rules sharing a key are the successive versions of one rule: their periods must not gap or overlap. */
  readonly key: string;
  readonly version: number;
  readonly effectiveFrom: string;
  /** Inclusive; the rule set's `coversTo` when open-ended in law. */
  readonly effectiveTo: string;
  readonly source: RuleSource;
}

export type VisitPurpose = 'mental-health' | 'sud' | 'esrd-home-dialysis' | 'acute-stroke' | 'other';
export const VISIT_PURPOSES: readonly VisitPurpose[] = ['mental-health', 'sud', 'esrd-home-dialysis', 'acute-stroke', 'other'];

/** The billing clinician's profession: modifier 95 and the compacts depend on it. */
export type Discipline = 'physician' | 'nurse-practitioner' | 'physician-assistant' | 'psychologist' | 'social-worker' | 'counselor' | 'pt' | 'ot' | 'slp' | 'dietitian' | 'other';
export const DISCIPLINES: readonly Discipline[] = ['physician', 'nurse-practitioner', 'physician-assistant', 'psychologist', 'social-worker', 'counselor', 'pt', 'ot', 'slp', 'dietitian', 'other'];

export interface TelehealthServiceEntry {
  readonly code: string;
  readonly description: string;
  /**
   * The purposes a use of this code can have (psychotherapy: mental health or SUD; 90966: ESRD home
   * dialysis). The first is taken when the request names no purpose; a request naming another is refused.
   */
  readonly impliesPurpose?: readonly VisitPurpose[];
}

export interface MedicareTelehealthListRule extends RuleBase {
  readonly kind: 'medicare-telehealth-list';
  readonly services: readonly TelehealthServiceEntry[];
  /** Real codes we recognise that are not on the list (so they are "not covered", not "unknown code"). */
  readonly notOnList: readonly TelehealthServiceEntry[];
}

export interface MedicareOriginatingSiteRule extends RuleBase {
  readonly kind: 'medicare-originating-site';
  /** `all`: any listed service may be furnished to a patient at home; otherwise only for these purposes. */
  readonly homeAllowedFor: 'all' | readonly VisitPurpose[];
  /** Rural HPSA / non-MSA county requirement of SSA §1834(m)(4)(C)(i); purposes listed here are exempt. */
  readonly geographicRestriction: boolean;
  readonly geographicExemptPurposes: readonly VisitPurpose[];
}

export interface MedicareInPersonRule extends RuleBase {
  readonly kind: 'medicare-mental-health-in-person';
  readonly required: boolean;
  readonly monthsBeforeFirstVisit?: number;
}

export interface MedicareAudioOnlyRule extends RuleBase {
  readonly kind: 'medicare-audio-only';
  readonly allowedFor: 'all' | readonly VisitPurpose[];
  /** Audio-only is allowed only when the patient is at home (42 CFR 410.78(a)(3)). */
  readonly homeOnly: boolean;
}

export interface MedicareStoreAndForwardRule extends RuleBase {
  readonly kind: 'medicare-store-and-forward';
  readonly allowedStates: readonly string[];
}

export interface MedicareClaimCodingRule extends RuleBase {
  readonly kind: 'medicare-claim-coding';
  readonly placeOfService: { readonly home: string; readonly other: string };
  readonly modifiers: {
    /** 95 only for a hospital-based clinician with the patient at home, and for outpatient therapy by these disciplines. */
    readonly video: { readonly code: string; readonly hospitalBasedPatientAtHome: boolean; readonly disciplines: readonly Discipline[] };
    readonly audioOnly: string;
    readonly audioOnlyFqhcRhc: string;
    readonly criticalAccessMethodII: string;
    readonly storeAndForward: string;
    readonly acuteStroke: string;
  };
}

export interface RpmCodeEntry {
  readonly code: string;
  readonly description: string;
  /** Remote physiologic (RPM) or therapeutic (RTM) monitoring: never both for one period by one practitioner. */
  readonly family: 'rpm' | 'rtm';
  readonly role: 'setup' | 'device-supply' | 'management' | 'management-addon' | 'interpretation';
  readonly minDays?: number;
  readonly maxDays?: number;
  readonly minMinutes?: number;
  readonly maxMinutes?: number;
  /** Requires a real-time interactive communication with the patient in the month. */
  readonly interactive?: boolean;
  readonly effectiveFrom: string;
  readonly source: RuleSource;
}

export interface MedicareRpmRule extends RuleBase {
  readonly kind: 'medicare-rpm';
  readonly codes: readonly RpmCodeEntry[];
  /** RPM needs an established patient; RTM does not (CY2024 PFS final rule). */
  readonly requiresEstablishedPatient: boolean;
  readonly requiresConsent: boolean;
  /** RPM and RTM may not be billed for the same period by the same practitioner. */
  readonly rpmAndRtmExclusive: boolean;
}

/**
 * A Medicare payment policy a biller must know that decides no coverage by itself (virtual direct
 * supervision, teaching-physician presence, frequency limits): reported as information when it applies.
 */
export interface MedicarePolicyRule extends RuleBase {
  readonly kind: 'medicare-policy';
  readonly topic: 'virtual-direct-supervision' | 'teaching-physician-virtual-presence' | 'telehealth-list-review' | 'frequency-limits';
  readonly summary: string;
}

/** Per-state cells, as researched (data/states/<XX>.json, see state-data.loader.ts). */
export type StateCoverageCell = CoverageCell;
export type StateParityCell = ParityCell;

export interface MedicaidStateRule extends RuleBase {
  readonly kind: 'medicaid-state';
  readonly state: string;
  readonly name: string;
  readonly liveVideo: CoverageCell;
  readonly audioOnly: CoverageCell;
  readonly storeAndForward: CoverageCell;
  readonly rpm: CoverageCell;
  /** The place of service and modifiers the state's program requires, where its source states them. */
  readonly claimCoding: CodingCell;
}

export interface CommercialParityRule extends RuleBase {
  readonly kind: 'commercial-parity';
  readonly state: string;
  readonly name: string;
  /** The law requires plans to cover by telehealth what they cover in person. */
  readonly coverageParity: ParityCell;
  /** The law requires the same payment as in person. */
  readonly paymentParity: ParityCell;
}

/**
 * What a compact does for telehealth into a member state. `expedited-licensure` (IMLC) is a
 * faster way to a full licence of that state, never an exemption; `practice-authority` (PSYPACT)
 * lets a holder of the named credential practise telehealth into member states without their licence.
 */
export interface CompactDefinition {
  readonly id: string;
  readonly name: string;
  readonly effect: 'expedited-licensure' | 'practice-authority' | 'recorded-only';
  readonly discipline?: Discipline;
  readonly credential?: string;
  readonly conditions?: string;
  readonly source: RuleSource;
}

export interface LicensureRule extends RuleBase {
  readonly kind: 'licensure';
  readonly requireLicenceInPatientState: boolean;
  readonly compacts: readonly CompactDefinition[];
}

/** One state's compacts, telehealth registration for out-of-state practitioners, and exceptions. */
export interface LicensureStateRule extends RuleBase {
  readonly kind: 'licensure-state';
  readonly state: string;
  readonly name: string;
  readonly compacts: { readonly members: readonly string[]; readonly sources: readonly StateSource[] };
  readonly telehealthRegistration: RegistrationCell;
  readonly exceptions: readonly StateException[];
}

export type Rule =
  | MedicareTelehealthListRule
  | MedicareOriginatingSiteRule
  | MedicareInPersonRule
  | MedicareAudioOnlyRule
  | MedicareStoreAndForwardRule
  | MedicareClaimCodingRule
  | MedicareRpmRule
  | MedicarePolicyRule
  | MedicaidStateRule
  | CommercialParityRule
  | LicensureRule
  | LicensureStateRule;

export interface RuleSet {
  readonly ruleSetId: string;
  readonly version: string;
  /** The day this version became what we know: answers "as of T" use the latest version published by T. */
  readonly publishedAt: string;
  readonly coversFrom: string;
  readonly coversTo: string;
  /**
   * `proposed`: found only in a proposed rule (e.g. CY2027 PFS proposals); kept with its source and
   * never applied. Absent: final.
   */
  readonly status?: 'final' | 'proposed';
  /**
   * `fallback`: the law that applies when nothing else does (the Ryan Haight baseline); a set that
   * ends with only a fallback after it has no successor.
   */
  readonly role?: 'fallback';
  readonly rules: readonly Rule[];
  /** Where it was loaded from (for error messages): a file name, or `store:<stream>` for a set activated at run time. */
  readonly file: string;
  /** Who signed off a set activated at run time. */
  readonly signedOff?: { readonly by: string; readonly on: string; readonly statement: string };
}

/** Every loaded version of every rule set. */
export interface RuleCatalog {
  readonly ruleSets: readonly RuleSet[];
}

/** The jurisdictions rule sets cover: the 50 states and DC. */
export { US_STATES } from '@carebridge/shared-kernel';

/** The latest version of each rule set published on or before `asOf` (YYYY-MM-DD). */
export function ruleSetsKnownAt(catalog: RuleCatalog, asOf: string): RuleSet[] {
  const latest = new Map<string, RuleSet>();
  for (const set of catalog.ruleSets) {
    // A proposed rule is kept for reference and never applied.
    if (set.publishedAt > asOf || set.status === 'proposed') continue;
    const current = latest.get(set.ruleSetId);
    if (current === undefined || current.publishedAt < set.publishedAt) latest.set(set.ruleSetId, set);
  }
  return [...latest.values()].sort((a, b) => a.ruleSetId.localeCompare(b.ruleSetId));
}

/** The rule of `kind` (and `key`, when several keys share a kind) in force on `date`. */
export function ruleInForce<K extends Rule['kind']>(
  sets: readonly RuleSet[],
  kind: K,
  date: string,
  key?: string,
): { rule: Extract<Rule, { kind: K }>; set: RuleSet } | undefined {
  for (const set of sets) {
    for (const rule of set.rules) {
      if (rule.kind === kind && (key === undefined || rule.key === key) && rule.effectiveFrom <= date && date <= rule.effectiveTo) {
        return { rule: rule as Extract<Rule, { kind: K }>, set };
      }
    }
  }
  return undefined;
}
