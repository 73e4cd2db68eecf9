import { DomainError, type Command } from '@carebridge/shared-kernel';
import { telemedicinePolicy } from './controlled-substance.rules';
import { epcsReadiness, type EpcsCredential, type EpcsGap, type EpcsGapCode } from './epcs-signing.rules';
import { InvalidTransitionError, PrescriptionNotFoundError, requirePrescriber, type PrescriptionState } from './prescription-lifecycle.rules';
import { scriptVersionFor } from './newrx-script.rules';
import type {
  ClinicalFinding,
  DeaSchedule,
  PrescriptionDraftedData,
  PrescriptionEvent,
  PrescriptionSignedData,
  RecordSignature,
  ScriptDelivery,
  ScriptVersion,
} from './prescription.events';
import { signedNewRxContent } from './record-signature.rules';

/** The prescriber signs a checked prescription, and it goes to the pharmacy in the same step. */
export type SignPrescription = Command<
  'SignPrescription',
  {
    readonly overrides: readonly { readonly findingId: string; readonly reason: string }[];
    /** Set by the adapter after it verified the prescriber's one-time code (RFC 6238). */
    readonly secondFactor: { readonly method: 'totp'; readonly verifiedAt: string; readonly enrolledAt: string } | null;
    readonly pharmacy: { readonly pharmacyId: string; readonly ncpdpId: string; readonly acceptsEPrescribing: boolean };
    /** The prescriber's credential (prescriber-credential stream), read by the adapter; null when none is recorded. */
    readonly epcsCredential: EpcsCredential | null;
    /**
     * The application's signature, made by the adapter over `signedContent`; the decider checks
     * that it is exactly the content being signed now (signedNewRxContent), so a draft revised
     * between the adapter's read and the append cannot carry a signature of other content.
     */
    readonly recordSignature: { readonly signedContent: string; readonly signature: RecordSignature };
    /**
     * The parties of the SCRIPT messages and the versions the pharmacy accepts (directory); the
     * decider picks the version. Absent only in specs written before SCRIPT XML went on the wire.
     */
    readonly script?: { readonly parties: Omit<ScriptDelivery, 'version'>; readonly pharmacyAccepts: readonly ScriptVersion[] };
  }
>;

// --- errors (stable codes; kind picks the HTTP status at the edge) ---
export class NotCheckedError extends DomainError {
  readonly code = 'PRESCRIPTION.NOT_CHECKED';
  override readonly kind = 'conflict';
}

/** A finding no reason can override (e.g. a recorded allergy to an ingredient). */
export class HardStopError extends DomainError {
  readonly code = 'PRESCRIPTION.HARD_STOP';
}

export class OverrideReasonRequiredError extends DomainError {
  readonly code = 'PRESCRIPTION.OVERRIDE_REASON_REQUIRED';
}

/**
 * The prescriber may not sign a controlled substance electronically yet (21 CFR 1311.105,
 * 1311.125): the code names the first thing missing, `details.missing` all of them.
 */
export abstract class EpcsNotReadyError extends DomainError {
  override readonly kind = 'forbidden';
  constructor(schedule: DeaSchedule, gaps: readonly EpcsGap[]) {
    super(`Cannot sign a schedule ${schedule} prescription: ${gaps.map((g) => g.message).join('; ')}`, { missing: gaps.map((g) => g.code) });
  }
}
export class EpcsIdentityNotProofedError extends EpcsNotReadyError {
  readonly code = 'PRESCRIPTION.EPCS_IDENTITY_NOT_PROOFED';
}
export class EpcsAccessNotGrantedError extends EpcsNotReadyError {
  readonly code = 'PRESCRIPTION.EPCS_ACCESS_NOT_GRANTED';
}
export class DeaRegistrationNotFoundError extends EpcsNotReadyError {
  readonly code = 'PRESCRIPTION.DEA_REGISTRATION_NOT_FOUND';
}
export class DeaRegistrationExpiredError extends EpcsNotReadyError {
  readonly code = 'PRESCRIPTION.DEA_REGISTRATION_EXPIRED';
}
export class DeaScheduleNotAuthorisedError extends EpcsNotReadyError {
  readonly code = 'PRESCRIPTION.DEA_SCHEDULE_NOT_AUTHORISED';
}
export class PatientLocationUnknownError extends EpcsNotReadyError {
  readonly code = 'PRESCRIPTION.PATIENT_LOCATION_UNKNOWN';
}
export class DeaRegistrationStateMismatchError extends EpcsNotReadyError {
  readonly code = 'PRESCRIPTION.DEA_REGISTRATION_STATE_MISMATCH';
}

const EPCS_GAP_ERRORS: Readonly<Record<EpcsGapCode, new (schedule: DeaSchedule, gaps: readonly EpcsGap[]) => EpcsNotReadyError>> = {
  'PRESCRIPTION.EPCS_IDENTITY_NOT_PROOFED': EpcsIdentityNotProofedError,
  'PRESCRIPTION.EPCS_ACCESS_NOT_GRANTED': EpcsAccessNotGrantedError,
  'PRESCRIPTION.DEA_REGISTRATION_NOT_FOUND': DeaRegistrationNotFoundError,
  'PRESCRIPTION.DEA_REGISTRATION_EXPIRED': DeaRegistrationExpiredError,
  'PRESCRIPTION.DEA_SCHEDULE_NOT_AUTHORISED': DeaScheduleNotAuthorisedError,
  'PRESCRIPTION.PATIENT_LOCATION_UNKNOWN': PatientLocationUnknownError,
  'PRESCRIPTION.DEA_REGISTRATION_STATE_MISMATCH': DeaRegistrationStateMismatchError,
};

/** 21 CFR 1311.140(a)(5): two-factor authentication when signing a controlled prescription. */
export class SecondFactorRequiredError extends DomainError {
  readonly code = 'PRESCRIPTION.SECOND_FACTOR_REQUIRED';
  override readonly kind = 'forbidden';
}

/** 21 CFR 1311.125: the access grant covers the authenticator enrolled when it was approved. */
export class EpcsTokenEnrolledAfterGrantError extends DomainError {
  readonly code = 'PRESCRIPTION.EPCS_TOKEN_ENROLLED_AFTER_GRANT';
  override readonly kind = 'forbidden';
}

/** The telemedicine rule set in force does not allow this controlled prescription (controlled-substance.rules.ts). */
export class TelemedicinePolicyError extends DomainError {
  readonly code = 'PRESCRIPTION.TELEMEDICINE_POLICY';
}

export class PharmacyNotEPrescribingError extends DomainError {
  readonly code = 'PRESCRIPTION.PHARMACY_NOT_E_PRESCRIBING';
}

/** The pharmacy accepts no SCRIPT version we may send today (e.g. still on 2017071 from 2028). */
export class NoCommonScriptVersionError extends DomainError {
  readonly code = 'PRESCRIPTION.NO_COMMON_SCRIPT_VERSION';
}

export class SignedContentChangedError extends DomainError {
  readonly code = 'PRESCRIPTION.SIGNED_CONTENT_CHANGED';
  override readonly kind = 'conflict';
}

// --- deciding ---
export function signPrescription(command: SignPrescription, state: PrescriptionState): PrescriptionEvent[] {
  if (state.status === 'none') throw new PrescriptionNotFoundError();
  if (state.status === 'drafted') throw new NotCheckedError('Run the checks before signing');
  if (state.status !== 'checked') throw new InvalidTransitionError(command.type, state.status);
  const { rx, findings } = state;
  const { metadata, data } = command;
  requirePrescriber(rx, metadata.actor);
  const overrides = overridesOf(findings, data.overrides);
  const controlledSubstance = rx.medication.deaSchedule === null ? null : controlledSubstanceSignature(command, rx, rx.medication.deaSchedule);
  if (!data.pharmacy.acceptsEPrescribing) {
    throw new PharmacyNotEPrescribingError('The chosen pharmacy does not accept e-prescriptions');
  }
  const at = metadata.now.toISOString();
  const script = data.script === undefined ? undefined : scriptDelivery(data.script, metadata.now);
  if (data.recordSignature.signedContent !== signedNewRxContent(rx, at, metadata.actor.id)) {
    throw new SignedContentChangedError('The prescription changed while it was being signed; sign again');
  }
  return [
    {
      type: 'PrescriptionSigned',
      data: {
        prescriptionId: rx.prescriptionId,
        signedBy: metadata.actor.id,
        signedAt: at,
        overrides,
        controlledSubstance,
        recordSignature: data.recordSignature.signature,
      },
    },
    {
      type: 'PrescriptionTransmitted',
      data: {
        prescriptionId: rx.prescriptionId,
        pharmacyId: data.pharmacy.pharmacyId,
        pharmacyNcpdpId: data.pharmacy.ncpdpId,
        transmittedAt: at,
        newRx: rx,
        ...(script !== undefined && { script, digitallySigned: controlledSubstance !== null }),
      },
    },
  ];
}

function scriptDelivery(script: NonNullable<SignPrescription['data']['script']>, now: Date): ScriptDelivery {
  const version = scriptVersionFor(now, script.pharmacyAccepts);
  if (version === undefined) {
    throw new NoCommonScriptVersionError(`The pharmacy accepts SCRIPT ${script.pharmacyAccepts.join(', ') || '(none)'}, none of which may be sent today`);
  }
  return { version, ...script.parties };
}

/** Every finding of the checks needs the prescriber's reason; a hard stop cannot be overridden. */
function overridesOf(
  findings: readonly ClinicalFinding[],
  given: SignPrescription['data']['overrides'],
): PrescriptionSignedData['overrides'] {
  const hardStops = findings.filter((f) => f.severity === 'hard-stop');
  if (hardStops.length > 0) {
    throw new HardStopError(`Cannot sign: ${hardStops.map((f) => f.detail).join('; ')}`, { findings: hardStops.map((f) => f.findingId) });
  }
  const reasons = new Map(given.map((o) => [o.findingId, o.reason.trim()]));
  const unexplained = findings.filter((f) => !reasons.get(f.findingId));
  if (unexplained.length > 0) {
    throw new OverrideReasonRequiredError(`Each finding needs an override reason: ${unexplained.map((f) => f.findingId).join(', ')}`, {
      findings: unexplained.map((f) => f.findingId),
    });
  }
  return findings.map((f) => ({ findingId: f.findingId, reason: reasons.get(f.findingId)! }));
}

/** What the DEA audit records of a controlled prescription's signature, once every EPCS rule holds. */
function controlledSubstanceSignature(
  command: SignPrescription,
  rx: PrescriptionDraftedData,
  schedule: DeaSchedule,
): NonNullable<PrescriptionSignedData['controlledSubstance']> {
  const { now } = command.metadata;
  const { secondFactor } = command.data;
  // 21 CFR 1311.105, 1311.125: a proofed identity, a two-person access grant and a DEA
  // registration valid today for this schedule; the code names the first thing missing.
  const epcs = epcsReadiness(command.data.epcsCredential, schedule, rx.prescriber.deaNumber, rx.encounter, now);
  if (!epcs.ready) throw new EPCS_GAP_ERRORS[epcs.gaps[0]!.code](schedule, epcs.gaps);
  if (secondFactor === null) {
    throw new SecondFactorRequiredError('A controlled-substance prescription needs the prescriber\u2019s one-time code to be signed');
  }
  // A device enrolled after the grant (possible with the first factor alone) needs a new two-person grant.
  if (secondFactor.enrolledAt > epcs.authorisation.accessGrantedAt) {
    throw new EpcsTokenEnrolledAfterGrantError(
      'The one-time-code device was enrolled after EPCS access was granted; two people must approve access again (21 CFR 1311.125)',
    );
  }
  const policy = telemedicinePolicy(schedule, rx.encounter, rx.daysSupply, now);
  if (!policy.allowed) throw new TelemedicinePolicyError(policy.reason, { ruleSetId: policy.ruleSetId });
  return {
    deaSchedule: schedule,
    deaNumber: rx.prescriber.deaNumber!,
    secondFactor,
    telemedicinePolicy: { ruleSetId: policy.ruleSetId, ruleId: policy.ruleId },
    epcs: epcs.authorisation,
  };
}
