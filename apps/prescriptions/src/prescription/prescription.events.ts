/**
 * The private events of a `prescription-<id>` stream: its audit vocabulary. Field names follow
 * NCPDP SCRIPT NewRx (MedicationPrescribed: DrugCoded, Quantity, DaysSupply, Refills,
 * Substitutions, Sig, Note) and FHIR R4 MedicationRequest where SCRIPT has no word.
 */

/** DEA controlled-substance schedules (21 CFR 1308.11-1308.15); `null` when not controlled. */
export type DeaSchedule = 'II' | 'III' | 'IV' | 'V';

export interface MedicationPrescribed {
  /** RxNorm concept of the prescribed product (SCD/SBD), NCPDP DrugCoded.ProductCode with qualifier RxNorm. */
  readonly rxnormCode: string;
  readonly name: string;
  readonly strength: string;
  /** NCPDP/NCI dose form, e.g. `tablet`, `capsule`. */
  readonly doseForm: string;
  /** RxNorm ingredient (IN) concepts: what allergy, duplicate-therapy and interaction checks match on. */
  readonly ingredientRxcuis: readonly string[];
  readonly deaSchedule: DeaSchedule | null;
  /** NDC (11 digits) of the product, when the prescriber chose a package: SCRIPT ProductCode with qualifier ND. */
  readonly ndc?: string;
  /** RxNorm term type of rxnormCode (SCRIPT DrugDBCode qualifier); derived from the RxNorm name when absent. */
  readonly rxnormTermType?: 'SCD' | 'SBD';
}

export interface PrescriberIdentity {
  readonly providerId: string;
  readonly npi: string;
  /** Required when the medication is controlled (21 CFR 1306.05(a)). */
  readonly deaNumber: string | null;
}

/** How the patient was seen for this prescription: the telemedicine policy depends on it. */
export interface EncounterContext {
  readonly modality: 'in-person' | 'audio-video' | 'audio-only';
  readonly priorInPersonEvaluation: boolean;
  /** Set when the prescription treats opioid use disorder (SNOMED CT 5602001 "Opioid abuse"). */
  readonly indication: 'opioid-use-disorder' | null;
  /**
   * USPS code of the state the patient is in for this encounter. Needed to sign a controlled
   * substance by telemedicine (the DEA registration used must be in that state); absent on drafts
   * recorded before it was asked.
   */
  readonly patientLocationState?: string;
  /** Buprenorphine rule (90 FR 6504): the PDMP of the patient's state was reviewed, or was unavailable with the attempt documented. */
  readonly pdmp?: 'reviewed' | 'unavailable';
  /** Days' supply already prescribed to this patient under the buprenorphine rule (the six months may be split). */
  readonly priorTelemedicineDaysSupply?: number;
  /** VA rule (90 FR 6523): a VA practitioner, and another VA practitioner evaluated this VA patient in person. */
  readonly vaContinuity?: boolean;
}

export interface PrescriptionDraftedData {
  readonly prescriptionId: string;
  readonly patientId: string;
  readonly visitId: string | null;
  readonly prescriber: PrescriberIdentity;
  readonly medication: MedicationPrescribed;
  readonly sig: string;
  readonly quantity: { readonly value: number; readonly unit: string };
  readonly daysSupply: number;
  readonly refills: number;
  readonly substitutionAllowed: boolean;
  readonly noteToPharmacist: string | null;
  readonly encounter: EncounterContext;
  /** Set when the draft replaces a prescription on an approved-with-changes renewal. */
  readonly renewalOf: string | null;
  /**
   * Set when the controlled-substance table (controlled-substance-table.rules.ts) lists the
   * product or an ingredient: the schedule it gives, and the prescriber's reason when they
   * recorded a lower one. Absent on drafts recorded before the table existed, and when unlisted.
   */
  readonly controlledSubstanceTable?: ControlledSubstanceTableMatch;
}

export interface ControlledSubstanceTableMatch {
  readonly tableVersion: string;
  readonly matchedRxcui: string;
  readonly tableSchedule: DeaSchedule;
  readonly loweredReason: string | null;
}

export type FindingKind = 'allergy' | 'duplicate-therapy' | 'interaction';
export type FindingSeverity = 'hard-stop' | 'overridable';

export interface ClinicalFinding {
  /** Stable within the prescription: the sign command overrides findings by id. */
  readonly findingId: string;
  readonly kind: FindingKind;
  readonly severity: FindingSeverity;
  readonly detail: string;
  /** The rule's public source (interaction table entry, recorded allergy). */
  readonly source: string;
}

export interface PrescriptionCheckedData {
  readonly prescriptionId: string;
  readonly findings: readonly ClinicalFinding[];
  readonly interactionTableVersion: string;
}

/** The prescriber's EPCS credential as it stood when they signed (21 CFR 1311.105, 1311.125). */
export interface EpcsAuthorisation {
  readonly identityProofing: {
    readonly credentialServiceProvider: string;
    readonly assuranceLevel: 'IAL2' | 'IAL3';
    readonly reference: string;
    readonly proofedOn: string;
  };
  /** The two individuals who approved the prescriber's EPCS access. */
  readonly accessApprovedBy: readonly string[];
  readonly accessGrantedAt: string;
  readonly deaRegistration: { readonly deaNumber: string; readonly state: string; readonly expiresOn: string; readonly schedules: readonly DeaSchedule[] };
}

/**
 * The application's digital signature of the record (21 CFR 1311.120(b)). The signed bytes are
 * the UTF-8 of record-signature.rules.ts signedNewRxContent(newRx, signedAt, signedBy), newRx
 * being the content recorded in PrescriptionTransmitted.
 */
export interface RecordSignature {
  readonly format: 'carebridge.newrx+jcs.v1';
  /** ECDSA on P-256 with SHA-256 (RFC 7518 ES256); signature is r||s (IEEE P1363), base64url. */
  readonly algorithm: 'ES256';
  /** RFC 7638 JWK thumbprint (SHA-256, base64url) of the service's public key. */
  readonly keyId: string;
  /** SHA-256 of the signed bytes, hex. */
  readonly digest: { readonly algorithm: 'SHA-256'; readonly value: string };
  readonly signature: string;
}

export interface PrescriptionSignedData {
  readonly prescriptionId: string;
  readonly signedBy: string;
  readonly signedAt: string;
  readonly overrides: readonly { readonly findingId: string; readonly reason: string }[];
  /** Two-factor record for the DEA audit (21 CFR 1311.120(b)(17), 1311.140(a)(5)); null when not controlled. */
  readonly controlledSubstance: {
    readonly deaSchedule: DeaSchedule;
    readonly deaNumber: string;
    /** enrolledAt: when the TOTP device was enrolled (absent on records from before it was recorded). */
    readonly secondFactor: { readonly method: 'totp'; readonly verifiedAt: string; readonly enrolledAt?: string };
    readonly telemedicinePolicy: { readonly ruleSetId: string; readonly ruleId: string };
    /** Absent on prescriptions signed before identity proofing and access control were checked. */
    readonly epcs?: EpcsAuthorisation;
  } | null;
  /** Absent on prescriptions signed before the application signed records. */
  readonly recordSignature?: RecordSignature;
}

/** NCPDP SCRIPT versions in force (newrx-script.rules.ts SCRIPT_VERSION_WINDOWS). */
export type ScriptVersion = '2017071' | '2023011';

export interface PostalAddress {
  readonly line: readonly string[];
  readonly city: string;
  readonly state: string;
  readonly postalCode: string;
}

/**
 * What a SCRIPT message needs beyond the prescription: the version both sides accept and the
 * parties as they stood at transmission. The patient's demographics come with the sign request
 * (this service keeps none); the pharmacy's from the directory.
 */
export interface ScriptDelivery {
  readonly version: ScriptVersion;
  readonly patient: {
    readonly lastName: string;
    readonly firstName: string;
    readonly gender: 'M' | 'F' | 'U';
    readonly dateOfBirth: string;
    readonly address: PostalAddress | null;
    readonly phone: string | null;
  };
  readonly prescriber: { readonly lastName: string; readonly firstName: string; readonly address: PostalAddress; readonly phone: string; readonly fax: string | null };
  readonly pharmacy: { readonly name: string; readonly npi: string; readonly address: PostalAddress; readonly phone: string | null };
}

export interface PrescriptionTransmittedData {
  readonly prescriptionId: string;
  readonly pharmacyId: string;
  readonly pharmacyNcpdpId: string;
  readonly transmittedAt: string;
  /** Exactly what was sent: the NewRx content as signed (the audit record of the transmission). */
  readonly newRx: PrescriptionDraftedData;
  /** Absent on transmissions recorded before SCRIPT XML went on the wire (published as JSON). */
  readonly script?: ScriptDelivery;
  /** The signed prescription carries a digital signature (EPCS): the NewRx says so. */
  readonly digitallySigned?: boolean;
}

/** What a pharmacy-bound message after the NewRx needs to be rendered as SCRIPT XML. */
export interface ScriptContext {
  readonly delivery: ScriptDelivery;
  readonly rx: PrescriptionDraftedData;
  /** When the NewRx was written (its WrittenDate). */
  readonly writtenAt: string;
}

/** Routing carried by every event the relay publishes to the pharmacy topic, keyed by NCPDP id. */
export interface Routing {
  readonly pharmacyNcpdpId: string;
  /** Absent on events recorded before SCRIPT XML went on the wire. */
  readonly script?: ScriptContext;
}

/** NCPDP SCRIPT Status / Verify: the pharmacy system received the message. */
export interface PharmacyAcknowledgedData {
  readonly prescriptionId: string;
  readonly messageId: string;
  readonly acknowledgement: 'Status' | 'Verify';
}

/** NCPDP SCRIPT Error. */
export interface PharmacyErrorReportedData {
  readonly prescriptionId: string;
  readonly messageId: string;
  readonly code: string;
  readonly description: string;
}

export type FillStatus = 'dispensed' | 'partially-dispensed' | 'not-dispensed' | 'transferred';

/** NCPDP SCRIPT RxFill. */
export interface PrescriptionFillReportedData {
  readonly prescriptionId: string;
  /** For the adherence signal (fills and their timing per patient and medication). */
  readonly patientId: string;
  readonly rxnormCode: string;
  readonly daysSupply: number;
  readonly messageId: string;
  readonly fillStatus: FillStatus;
  readonly quantityDispensed: number | null;
  readonly filledAt: string;
  readonly reason: string | null;
}

export type ChangeRequestType = 'generic-substitution' | 'prior-authorization' | 'clarification';

/** NCPDP SCRIPT RxChangeRequest. */
export interface ChangeRequestedData {
  readonly prescriptionId: string;
  readonly messageId: string;
  readonly changeRequestId: string;
  readonly changeType: ChangeRequestType;
  readonly detail: string;
}

/** NCPDP SCRIPT RxChangeResponse. */
export interface ChangeRespondedData extends Routing {
  readonly prescriptionId: string;
  readonly changeRequestId: string;
  readonly decision: 'approved' | 'denied';
  readonly reason: string | null;
}

export interface RenewalRequestedData {
  readonly prescriptionId: string;
  readonly renewalRequestId: string;
  readonly requestedBy: 'patient' | 'pharmacy';
  readonly note: string | null;
}

/** NCPDP SCRIPT RxRenewalResponse. */
export interface RenewalRespondedData extends Routing {
  readonly prescriptionId: string;
  readonly renewalRequestId: string;
  readonly decision: 'approved' | 'approved-with-changes' | 'denied';
  readonly refillsAuthorized: number;
  readonly replacementPrescriptionId: string | null;
  readonly reason: string | null;
}

/** NCPDP SCRIPT CancelRx sent to the pharmacy. */
export interface CancelRequestedData extends Routing {
  readonly prescriptionId: string;
  readonly reason: string;
}

/** NCPDP SCRIPT CancelRxResponse. */
export interface CancelRespondedData {
  readonly prescriptionId: string;
  readonly messageId: string;
  readonly decision: 'approved' | 'denied';
  readonly reason: string | null;
}

export interface PrescriptionCancelledData {
  readonly prescriptionId: string;
  readonly reason: string;
  /** False when the prescription was cancelled before it reached a pharmacy. */
  readonly pharmacyConfirmed: boolean;
}

export type PrescriptionEvent =
  | { readonly type: 'PrescriptionDrafted'; readonly data: PrescriptionDraftedData }
  /** The prescriber completed or corrected the draft: the whole NewRx content as revised. */
  | { readonly type: 'PrescriptionDraftRevised'; readonly data: PrescriptionDraftedData }
  | { readonly type: 'PrescriptionChecked'; readonly data: PrescriptionCheckedData }
  | { readonly type: 'PrescriptionSigned'; readonly data: PrescriptionSignedData }
  | { readonly type: 'PrescriptionTransmitted'; readonly data: PrescriptionTransmittedData }
  | { readonly type: 'PharmacyAcknowledged'; readonly data: PharmacyAcknowledgedData }
  | { readonly type: 'PharmacyErrorReported'; readonly data: PharmacyErrorReportedData }
  | { readonly type: 'PrescriptionFillReported'; readonly data: PrescriptionFillReportedData }
  | { readonly type: 'ChangeRequested'; readonly data: ChangeRequestedData }
  | { readonly type: 'ChangeResponded'; readonly data: ChangeRespondedData }
  | { readonly type: 'RenewalRequested'; readonly data: RenewalRequestedData }
  | { readonly type: 'RenewalResponded'; readonly data: RenewalRespondedData }
  | { readonly type: 'CancelRequested'; readonly data: CancelRequestedData }
  | { readonly type: 'CancelResponded'; readonly data: CancelRespondedData }
  | { readonly type: 'PrescriptionCancelled'; readonly data: PrescriptionCancelledData };
