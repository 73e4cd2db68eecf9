import type { Event } from '@carebridge/shared-kernel';

/** Who pays. Medicaid and CHIP are state programmes; a commercial plan is regulated by its plan's state. */
export type PayerKind = 'medicare-part-b' | 'medicare-advantage' | 'medicaid' | 'chip' | 'commercial' | 'self-pay';
export const PAYER_KINDS: readonly PayerKind[] = [
  'medicare-part-b',
  'medicare-advantage',
  'medicaid',
  'chip',
  'commercial',
  'self-pay',
];

/** Coordination of benefits: the primary payer is billed first, the secondary for the rest. */
export type CoverageOrder = 'primary' | 'secondary';

export interface Coverage {
  readonly coverageId: string;
  readonly payerKind: PayerKind;
  /** Payer identifier (for X12, the payer's id at the clearing house); absent for self-pay. */
  readonly payerId?: string;
  readonly planName?: string;
  /** Two-letter USPS code: the Medicaid/CHIP state, or the state whose law regulates a commercial plan. */
  readonly state?: string;
  readonly memberId?: string;
  readonly groupNumber?: string;
  /**
   * The subscriber as the payer knows them, for the X12 270 (NM1*IL, DMG): without it the payer
   * cannot be asked and the answer comes from the rules alone. PHI: stays in this service.
   */
  readonly subscriber?: { readonly firstName: string; readonly lastName: string; readonly birthDate?: string };
  /** ISO dates (YYYY-MM-DD), inclusive. */
  readonly effectiveFrom: string;
  readonly terminatesOn?: string;
  readonly order: CoverageOrder;
}

export type CoverageRecorded = Event<'CoverageRecorded', { patientId: string; coverage: Coverage }>;

/** The whole coverage after the change, so a reader never has to merge partial updates. */
export type CoverageUpdated = Event<'CoverageUpdated', { patientId: string; coverage: Coverage; changed: readonly string[] }>;

export type CoverageEvent = CoverageRecorded | CoverageUpdated;
