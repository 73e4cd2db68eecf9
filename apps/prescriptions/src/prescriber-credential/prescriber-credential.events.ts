/**
 * The private events of a `prescriber-credential-<providerId>` stream: what the practice knows
 * about a prescriber's right to sign controlled-substance prescriptions (21 CFR part 1311,
 * subpart C): identity proofing, DEA registrations, state licences and the two-person grant of
 * EPCS access. Data only; recorded by the people named in each event's metadata.
 */
import type { DeaSchedule } from '../prescription/prescription.events';

/** NIST SP 800-63-3 identity assurance levels accepted for EPCS (21 CFR 1311.105(a): IAL2 or higher). */
export type IdentityAssuranceLevel = 'IAL2' | 'IAL3';

export interface IdentityProofedData {
  readonly providerId: string;
  /** The credential service provider (or certification authority) that proofed the prescriber. */
  readonly credentialServiceProvider: string;
  readonly assuranceLevel: IdentityAssuranceLevel;
  /** YYYY-MM-DD. */
  readonly proofedOn: string;
  /** The CSP's reference for the proofing record (e.g. its transaction or certificate id). */
  readonly reference: string;
}

export interface DeaRegistrationRecordedData {
  readonly providerId: string;
  readonly deaNumber: string;
  /** Schedules the registration authorises (DEA Form 224 registrations list 2, 2N, 3, 3N, 4, 5). */
  readonly schedules: readonly DeaSchedule[];
  /** The state of the registration (a DEA registration is per state of practice, 21 CFR 1301.12). */
  readonly state: string;
  /** YYYY-MM-DD, inclusive. */
  readonly expiresOn: string;
}

export interface StateLicenceRecordedData {
  readonly providerId: string;
  readonly state: string;
  readonly licenceNumber: string;
  /** YYYY-MM-DD, inclusive. */
  readonly expiresOn: string;
}

/** One individual's approval of EPCS access (21 CFR 1311.125). */
export interface EpcsAccessApproval {
  readonly approverId: string;
  readonly approverRole: 'ops' | 'provider';
  /** Set when the approver is a DEA registrant (their registration valid on the approval date). */
  readonly approverDeaNumber: string | null;
  readonly approvedAt: string;
}

export interface EpcsAccessApprovedData {
  readonly providerId: string;
  readonly approval: EpcsAccessApproval;
}

/** Two different individuals approved, at least one a DEA registrant, neither the grantee. */
export interface EpcsAccessGrantedData {
  readonly providerId: string;
  readonly approvals: readonly [EpcsAccessApproval, EpcsAccessApproval];
  readonly grantedAt: string;
}

export interface EpcsAccessRevokedData {
  readonly providerId: string;
  readonly revokedBy: string;
  readonly reason: string;
  readonly revokedAt: string;
}

export type PrescriberCredentialEvent =
  | { readonly type: 'IdentityProofed'; readonly data: IdentityProofedData }
  | { readonly type: 'DeaRegistrationRecorded'; readonly data: DeaRegistrationRecordedData }
  | { readonly type: 'StateLicenceRecorded'; readonly data: StateLicenceRecordedData }
  | { readonly type: 'EpcsAccessApproved'; readonly data: EpcsAccessApprovedData }
  | { readonly type: 'EpcsAccessGranted'; readonly data: EpcsAccessGrantedData }
  | { readonly type: 'EpcsAccessRevoked'; readonly data: EpcsAccessRevokedData };
