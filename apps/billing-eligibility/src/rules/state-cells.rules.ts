/**
 * The cells of a per-state research file (data/states/<XX>.json) as the engine reads them. Pure
 * types: state-data.loader.ts checks the files against the matching zod schema.
 */
export interface StateSource {
  readonly citation: string;
  readonly url: string;
  /** The source's own last-updated date: YYYY-MM-DD, YYYY-MM or YYYY. */
  readonly lastUpdated: string;
  readonly primary?: string;
  /** True only when the fact was read in the retrieved text. */
  readonly verified: boolean;
  readonly note?: string;
}

export interface CoverageCell {
  readonly value: 'covered' | 'covered-with-conditions' | 'not-covered' | 'unknown';
  readonly conditions?: string;
  readonly facts?: readonly string[];
  readonly sources: readonly StateSource[];
}

export interface ParityCell {
  readonly value: 'yes' | 'no' | 'partial' | 'unknown';
  readonly conditions?: string;
  readonly sources: readonly StateSource[];
}

export interface CodingCell {
  readonly value: 'stated' | 'unknown';
  readonly pos?: readonly string[];
  readonly modifiers?: readonly string[];
  readonly text?: string;
  readonly sources: readonly StateSource[];
}

export interface RegistrationCell {
  readonly value: 'registration-available' | 'none' | 'unknown';
  readonly conditions?: string;
  readonly sources: readonly StateSource[];
}

export interface StateException {
  readonly kind: 'physician-to-physician-consultation' | 'follow-up-existing-patient' | 'other';
  readonly text: string;
  readonly facts: readonly string[];
  readonly sources: readonly StateSource[];
}

/** Where a rule or a reason's fact comes from. */
export interface RuleSource {
  /** Statute, CFR section, CMS rule or transmittal, state code, or the CCHP report. */
  readonly citation: string;
  readonly url?: string;
  /** The statute, manual or bulletin the cited page itself relies on. */
  readonly primary?: string;
  /** When the source said so (YYYY-MM-DD or YYYY-MM). */
  readonly asOf: string;
  /** True for data entered from an engineer's knowledge without checking the current source. */
  readonly needsVerification: boolean;
  readonly note?: string;
}

/** A per-state source as the engine's reasons cite it: `needsVerification` unless read in the retrieved text. */
export function ruleSourceOf(source: StateSource): RuleSource {
  return {
    citation: source.citation,
    url: source.url,
    asOf: source.lastUpdated,
    needsVerification: !source.verified,
    ...(source.primary !== undefined && { primary: source.primary }),
    ...(source.note !== undefined && { note: source.note }),
  };
}
