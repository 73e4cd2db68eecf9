import { validThroughIn } from '@carebridge/shared-kernel';
import type { DeaRegistrationRecordedData, EpcsAccessApproval, IdentityProofedData } from '../prescriber-credential/prescriber-credential.events';
import type { DeaSchedule, EncounterContext, EpcsAuthorisation } from './prescription.events';

/**
 * What signing a controlled-substance prescription needs to know of the prescriber's credential
 * (the adapter reads it from the prescriber-credential stream), and the rule itself:
 * - identity proofed at NIST SP 800-63-3 IAL2 or higher (21 CFR 1311.105);
 * - EPCS access granted by two individuals, at least one a DEA registrant (21 CFR 1311.125);
 * - the DEA number on the prescription is a registration of the prescriber, valid on the signing
 *   date and authorising the schedule (21 CFR 1306.03, 1311.120(b)(3) as we read it: VERIFY);
 * - by telemedicine, where the patient is must be known and the registration must be in that
 *   state (a registration is per state, 21 CFR 1301.12(a); DEA's reading for telemedicine: the
 *   state where the patient is located. VERIFY against the telemedicine rules in force);
 * - the second factor (21 CFR 1311.115, 1311.140(a)(5)) is checked by the decider separately.
 */
export interface EpcsCredential {
  readonly identityProofing: IdentityProofedData | null;
  readonly accessGrant: { readonly approvals: readonly EpcsAccessApproval[]; readonly grantedAt: string } | null;
  readonly deaRegistrations: readonly DeaRegistrationRecordedData[];
}

export type EpcsGapCode =
  | 'PRESCRIPTION.EPCS_IDENTITY_NOT_PROOFED'
  | 'PRESCRIPTION.EPCS_ACCESS_NOT_GRANTED'
  | 'PRESCRIPTION.DEA_REGISTRATION_NOT_FOUND'
  | 'PRESCRIPTION.DEA_REGISTRATION_EXPIRED'
  | 'PRESCRIPTION.DEA_SCHEDULE_NOT_AUTHORISED'
  | 'PRESCRIPTION.PATIENT_LOCATION_UNKNOWN'
  | 'PRESCRIPTION.DEA_REGISTRATION_STATE_MISMATCH';

export interface EpcsGap {
  readonly code: EpcsGapCode;
  readonly message: string;
}

export type EpcsOutcome = { readonly ready: true; readonly authorisation: EpcsAuthorisation } | { readonly ready: false; readonly gaps: readonly EpcsGap[] };

export function epcsReadiness(
  credential: EpcsCredential | null,
  schedule: DeaSchedule,
  deaNumber: string | null,
  encounter: Pick<EncounterContext, 'modality' | 'patientLocationState'>,
  at: Date,
): EpcsOutcome {
  const gaps: EpcsGap[] = [];
  const proofing = credential?.identityProofing ?? null;
  if (proofing === null || (proofing.assuranceLevel !== 'IAL2' && proofing.assuranceLevel !== 'IAL3')) {
    gaps.push({ code: 'PRESCRIPTION.EPCS_IDENTITY_NOT_PROOFED', message: 'the prescriber has no identity proofing at IAL2 or higher on record (21 CFR 1311.105)' });
  }
  const grant = credential?.accessGrant ?? null;
  if (grant === null) {
    gaps.push({ code: 'PRESCRIPTION.EPCS_ACCESS_NOT_GRANTED', message: 'the prescriber has no active two-person EPCS access grant (21 CFR 1311.125)' });
  }
  const registration = credential?.deaRegistrations.find((r) => r.deaNumber === deaNumber) ?? null;
  if (registration === null) {
    gaps.push({ code: 'PRESCRIPTION.DEA_REGISTRATION_NOT_FOUND', message: `DEA number ${deaNumber ?? '(none)'} is not a registration recorded for the prescriber` });
  } else {
    if (!validThroughIn(registration.state, registration.expiresOn, at)) {
      gaps.push({ code: 'PRESCRIPTION.DEA_REGISTRATION_EXPIRED', message: `DEA registration ${registration.deaNumber} expired on ${registration.expiresOn}` });
    }
    if (!registration.schedules.includes(schedule)) {
      gaps.push({ code: 'PRESCRIPTION.DEA_SCHEDULE_NOT_AUTHORISED', message: `DEA registration ${registration.deaNumber} does not authorise schedule ${schedule}` });
    }
    const where = encounter.patientLocationState;
    if (where !== undefined && registration.state !== where) {
      gaps.push({
        code: 'PRESCRIPTION.DEA_REGISTRATION_STATE_MISMATCH',
        message: `DEA registration ${registration.deaNumber} is for ${registration.state}; the patient is in ${where} (a registration is per state, 21 CFR 1301.12)`,
      });
    }
  }
  if (encounter.modality !== 'in-person' && encounter.patientLocationState === undefined) {
    gaps.push({
      code: 'PRESCRIPTION.PATIENT_LOCATION_UNKNOWN',
      message: 'where the patient is (encounter.patientLocationState) must be recorded to prescribe a controlled substance by telemedicine',
    });
  }
  if (gaps.length > 0 || proofing === null || grant === null || registration === null) return { ready: false, gaps };
  return {
    ready: true,
    authorisation: {
      identityProofing: { credentialServiceProvider: proofing.credentialServiceProvider, assuranceLevel: proofing.assuranceLevel, reference: proofing.reference, proofedOn: proofing.proofedOn },
      accessApprovedBy: grant.approvals.map((a) => a.approverId),
      accessGrantedAt: grant.grantedAt,
      deaRegistration: { deaNumber: registration.deaNumber, state: registration.state, expiresOn: registration.expiresOn, schedules: registration.schedules },
    },
  };
}
