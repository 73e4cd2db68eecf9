import type { Event } from '@carebridge/shared-kernel';
import type { PayerKind } from '../coverage/coverage.events';

/** `rpm` and `rtm`: a remote physiologic or therapeutic monitoring period (the `rpm` facts hold its days and minutes). */
export type Modality = 'video' | 'audio-only' | 'store-and-forward' | 'rpm' | 'rtm';
export type PatientSetting = 'home' | 'facility';
export type Outcome = 'covered' | 'not-covered' | 'covered-with-conditions' | 'unknown';

/** What a reason does to the answer: `info` explains (payment parity, codes) without changing it. */
export type ReasonEffect = 'covers' | 'excludes' | 'condition' | 'unknown' | 'info';

export interface Reason {
  /** Stable code, e.g. `MEDICARE.HOME_NOT_ORIGINATING_SITE`. */
  readonly code: string;
  readonly effect: ReasonEffect;
  readonly message: string;
  readonly serviceCode?: string;
  readonly ruleId: string;
  readonly ruleVersion: number;
  readonly ruleSetId: string;
  readonly ruleSetVersion: string;
  readonly source: { readonly citation: string; readonly asOf: string; readonly needsVerification: boolean };
}

export interface ProviderLicence {
  readonly state: string;
  /** Absent when the source (scheduling's booking) does not hold it: the answer then names the condition. */
  readonly expiresOn?: string;
}

export interface EligibilityRequest {
  readonly patientId: string;
  readonly appointmentId?: string;
  /** Monitoring's RPM period the request answers (RpmPeriodClosed). */
  readonly rpmPeriodId?: string;
  /**
   * Facts the source event did not carry (`serviceCodes`, `patientLocation.setting`, ...): the
   * values in their place are placeholders, and the answer is `unknown` naming each, never a guess.
   */
  readonly missingFacts?: readonly string[];
  /** Facts the source event carried that the rules cannot judge (`field: why`), answered `unknown` like missing ones. */
  readonly invalidFacts?: readonly string[];
  readonly serviceCodes: readonly string[];
  readonly modality: Modality;
  /**
   * Why the visit happens: the Medicare permanent exceptions depend on it. Absent: the purpose the
   * service codes imply (90834: mental health; 90966: ESRD home dialysis), else `other`.
   */
  readonly purpose?: VisitPurposeName;
  /** The patient has been seen by the practice before (some Medicaid programs pay only then). */
  readonly establishedPatient?: boolean;
  /** A state licensure exception the provider relies on (the state's research file must list it). */
  readonly licensureException?: 'physician-to-physician-consultation' | 'follow-up-existing-patient';
  readonly patientLocation: {
    readonly state: string;
    readonly setting: PatientSetting;
    /** Facility in a rural HPSA or a non-MSA county (SSA §1834(m)(4)(C)(i)); absent when not known. */
    readonly ruralArea?: boolean;
  };
  readonly provider: {
    readonly providerId: string;
    readonly licences: readonly ProviderLicence[];
    readonly billing: 'professional' | 'fqhc-rhc' | 'cah-method-ii';
    /** The clinician furnishes the service from a hospital (Medicare modifier 95 with the patient at home). */
    readonly hospitalBased?: boolean;
    /** physician, psychologist, pt, ot, slp, ...: modifier 95 for therapy and the compacts depend on it. */
    readonly discipline?: DisciplineName;
    /** Compacts whose practice authority the clinician holds (PSYPACT: the APIT). */
    readonly compactAuthorities?: readonly string[];
    /** The state the clinician is in during the visit (PSYPACT: the home state). */
    readonly locatedIn?: string;
    /** Out-of-state telehealth registrations (e.g. Florida s. 456.47). */
    readonly telehealthRegistrations?: readonly ProviderLicence[];
  };
  readonly dateOfService: string;
  /** When the visit starts (ISO date-time): the answer is checked again 24 h before. */
  readonly visitStartsAt?: string;
  /** Mental health at home from 2028: in person within 6 months before the first telehealth visit. */
  readonly inPersonVisitWithinSixMonths?: boolean;
  readonly rpm?: {
    readonly daysWithReadings: number;
    readonly managementMinutes: number;
    readonly interactiveCommunication: boolean;
    readonly interpretationMinutes?: number;
    /** Absent when not known (an RPM period from monitoring): the answer names it as a condition. */
    readonly establishedPatient?: boolean;
    readonly consent: boolean;
  };
}

export type VisitPurposeName = 'mental-health' | 'sud' | 'esrd-home-dialysis' | 'acute-stroke' | 'other';
export type DisciplineName = 'physician' | 'nurse-practitioner' | 'physician-assistant' | 'psychologist' | 'social-worker' | 'counselor' | 'pt' | 'ot' | 'slp' | 'dietitian' | 'other';

export interface Determination {
  readonly outcome: Outcome;
  readonly reasons: readonly Reason[];
  readonly placeOfService?: string;
  readonly modifiers: readonly string[];
  /** RPM: the codes this period can bill, with units. */
  readonly billableCodes?: readonly { readonly code: string; readonly units: number }[];
  /**
   * From a 271 when one was exchanged (and answered our 270); null when not known. The amounts
   * are the in-network individual ones for the visit's service type; `benefits` holds every
   * cost-share benefit of the 271 for that service type or the plan (30), in and out of network.
   */
  readonly costShare: null | {
    readonly copay?: number;
    readonly coinsurancePercent?: number;
    readonly deductibleRemaining?: number;
    readonly outOfPocketRemaining?: number;
    readonly benefits?: readonly CostShareBenefit[];
  };
  readonly coverage?: { readonly coverageId: string; readonly payerKind: PayerKind; readonly payerId?: string };
  readonly ruleSets: readonly { readonly ruleSetId: string; readonly version: string }[];
  /** What we knew: the rule-set versions published on or before this date were used. */
  readonly asOf: string;
  readonly dateOfService: string;
}

/** One cost-share benefit (an X12 271 EB loop with EB01 A, B, C or G) as the answer carries it. */
export interface CostShareBenefit {
  readonly kind: 'copay' | 'coinsurance' | 'deductible' | 'out-of-pocket';
  /** EB12: in plan network (Y), out of it (N), not applicable (W); absent when the payer did not say (U or empty). */
  readonly network?: 'in' | 'out' | 'not-applicable';
  /** EB02: `individual` (IND), `family` (FAM), else the X12 code (EMP, ESP, ...). */
  readonly coverageLevel?: string;
  /** EB06: `remaining` (29), `calendar-year` (23), `visit` (27), ... else `x12-615:<code>`. */
  readonly period?: string;
  /** Money (copay, deductible, out-of-pocket). */
  readonly amount?: number;
  /** Coinsurance in percent (EB08 0.2 = 20). */
  readonly percent?: number;
  /** EB03 service types the benefit is for (30: the plan's general benefits). */
  readonly serviceTypes: readonly string[];
}

export type EligibilityDetermined = Event<
  'EligibilityDetermined',
  { determinationId: string; patientId: string; request: EligibilityRequest; determination: Determination; changedFrom?: Outcome }
>;

/** Scheduling cancelled the appointment: no re-check records an answer for it any more. */
export type AppointmentWithdrawn = Event<'AppointmentWithdrawn', { patientId: string; appointmentId: string }>;

export type EligibilityEvent = EligibilityDetermined | AppointmentWithdrawn;
