/**
 * The shape of coverage rules once loaded and validated (rule-set.loader.ts checks the JSON files
 * in ./data against it at boot). Pure types and look-ups: the engine (determine.rules.ts) uses them.
 */

export interface RuleSource {
  /** Statute, CFR section, CMS rule or transmittal, state code, or the CCHP report. */
  readonly citation: string;
  readonly url?: string;
  /** When the source said so (YYYY-MM-DD or YYYY-MM). */
  readonly asOf: string;
  /** True for data entered from an engineer's knowledge without checking the current source. */
  readonly needsVerification: boolean;
  readonly note?: string;
}

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

export interface TelehealthServiceEntry {
  readonly code: string;
  readonly description: string;
  /** Psychotherapy and psychiatric codes: a telehealth use of them is a mental-health service whatever the stated purpose. */
  readonly behavioral?: boolean;
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
    readonly video: string;
    readonly audioOnly: string;
    readonly audioOnlyFqhcRhc: string;
    readonly criticalAccessMethodII: string;
    readonly storeAndForward: string;
  };
}

export interface RpmCodeEntry {
  readonly code: string;
  readonly description: string;
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
  readonly requiresEstablishedPatient: boolean;
  readonly requiresConsent: boolean;
}

export type CellValue = 'covered' | 'covered-some-services' | 'not-covered' | 'unknown';
export type ParityValue = 'yes' | 'no' | 'unknown';

export interface Cell<V extends string> {
  readonly value: V;
  /** Absent only when value is `unknown`. */
  readonly source?: RuleSource;
}

export interface MedicaidStateRule extends RuleBase {
  readonly kind: 'medicaid-state';
  readonly state: string;
  readonly liveVideo: Cell<CellValue>;
  readonly audioOnly: Cell<CellValue>;
  readonly storeAndForward: Cell<CellValue>;
  readonly rpm: Cell<CellValue>;
  readonly paymentParity: Cell<ParityValue>;
}

export interface CommercialParityRule extends RuleBase {
  readonly kind: 'commercial-parity';
  readonly state: string;
  /** The law requires plans to cover by telehealth what they cover in person. */
  readonly serviceParity: Cell<ParityValue>;
  /** The law requires the same payment as in person. */
  readonly paymentParity: Cell<ParityValue>;
}

export interface LicensureRule extends RuleBase {
  readonly kind: 'licensure';
  readonly requireLicenceInPatientState: boolean;
  /** Interstate Medical Licensure Compact member states; `unknown` when not verified. */
  readonly compactStates: readonly string[] | 'unknown';
}

export type Rule =
  | MedicareTelehealthListRule
  | MedicareOriginatingSiteRule
  | MedicareInPersonRule
  | MedicareAudioOnlyRule
  | MedicareStoreAndForwardRule
  | MedicareClaimCodingRule
  | MedicareRpmRule
  | MedicaidStateRule
  | CommercialParityRule
  | LicensureRule;

export interface RuleSet {
  readonly ruleSetId: string;
  readonly version: string;
  /** The day this version became what we know: answers "as of T" use the latest version published by T. */
  readonly publishedAt: string;
  readonly coversFrom: string;
  readonly coversTo: string;
  readonly rules: readonly Rule[];
  /** Where it was loaded from (for error messages). */
  readonly file: string;
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
    if (set.publishedAt > asOf) continue;
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
