import { assertNever, DomainError, type Command, type Decider, validThroughIn } from '@carebridge/shared-kernel';
import type { DeaSchedule } from '../prescription/prescription.events';
import type {
  DeaRegistrationRecordedData,
  EpcsAccessApproval,
  IdentityProofedData,
  PrescriberCredentialEvent,
  StateLicenceRecordedData,
} from './prescriber-credential.events';

// ---------------------------------------------------------------------------------------------
// Commands: time and actor in the metadata; the adapter supplies what it looked up elsewhere.

export type RecordIdentityProofing = Command<
  'RecordIdentityProofing',
  Omit<IdentityProofedData, 'assuranceLevel'> & { readonly assuranceLevel: string }
>;
export type RecordDeaRegistration = Command<'RecordDeaRegistration', DeaRegistrationRecordedData>;
export type RecordStateLicence = Command<'RecordStateLicence', StateLicenceRecordedData>;
export type ApproveEpcsAccess = Command<
  'ApproveEpcsAccess',
  {
    readonly providerId: string;
    /** The approver's own DEA registration valid today, looked up by the adapter from their credential; null if none. */
    readonly approverDeaNumber: string | null;
  }
>;
export type RevokeEpcsAccess = Command<
  'RevokeEpcsAccess',
  { readonly providerId: string; readonly reason: string; readonly revokerDeaNumber: string | null }
>;

export type PrescriberCredentialCommand = RecordIdentityProofing | RecordDeaRegistration | RecordStateLicence | ApproveEpcsAccess | RevokeEpcsAccess;

// ---------------------------------------------------------------------------------------------
// State.

export type EpcsAccess =
  | { readonly status: 'none' }
  | { readonly status: 'pending'; readonly approval: EpcsAccessApproval }
  | { readonly status: 'granted'; readonly approvals: readonly [EpcsAccessApproval, EpcsAccessApproval]; readonly grantedAt: string };

export type PrescriberCredentialState =
  | { readonly status: 'unknown' }
  | {
      readonly status: 'known';
      readonly providerId: string;
      readonly identityProofing: IdentityProofedData | null;
      /** Latest record per DEA number. */
      readonly deaRegistrations: readonly DeaRegistrationRecordedData[];
      /** Latest record per state. */
      readonly stateLicences: readonly StateLicenceRecordedData[];
      readonly access: EpcsAccess;
    };

// --- errors (stable codes; kind picks the HTTP status at the edge) ---
export class NotAuthorisedError extends DomainError {
  readonly code = 'CREDENTIAL.NOT_AUTHORISED';
  override readonly kind = 'forbidden';
}
/** 21 CFR 1311.105(a): identity proofing at NIST SP 800-63-3 IAL2 or higher. */
export class AssuranceTooLowError extends DomainError {
  readonly code = 'CREDENTIAL.ASSURANCE_TOO_LOW';
}
export class ProofingIncompleteError extends DomainError {
  readonly code = 'CREDENTIAL.PROOFING_INCOMPLETE';
}
export class ProofingDateInvalidError extends DomainError {
  readonly code = 'CREDENTIAL.PROOFING_DATE_INVALID';
}
export class SchedulesInvalidError extends DomainError {
  readonly code = 'CREDENTIAL.SCHEDULES_INVALID';
}
export class RegistrationInvalidError extends DomainError {
  readonly code = 'CREDENTIAL.REGISTRATION_INVALID';
}
export class LicenceInvalidError extends DomainError {
  readonly code = 'CREDENTIAL.LICENCE_INVALID';
}
/** 21 CFR 1311.125: the prescriber whose access it is cannot approve it. */
export class SelfApprovalError extends DomainError {
  readonly code = 'CREDENTIAL.SELF_APPROVAL';
  override readonly kind = 'forbidden';
}
/** 21 CFR 1311.105: identity proofing comes before EPCS access. */
export class NotIdentityProofedError extends DomainError {
  readonly code = 'CREDENTIAL.NOT_IDENTITY_PROOFED';
}
export class AlreadyGrantedError extends DomainError {
  readonly code = 'CREDENTIAL.ALREADY_GRANTED';
  override readonly kind = 'conflict';
}
/** 21 CFR 1311.125: two different individuals approve. */
export class SameApproverError extends DomainError {
  readonly code = 'CREDENTIAL.SAME_APPROVER';
  override readonly kind = 'conflict';
}
/** 21 CFR 1311.125: at least one of the two approvers is a DEA registrant. */
export class RegistrantApprovalRequiredError extends DomainError {
  readonly code = 'CREDENTIAL.REGISTRANT_APPROVAL_REQUIRED';
  override readonly kind = 'forbidden';
}
export class ReasonRequiredError extends DomainError {
  readonly code = 'CREDENTIAL.REASON_REQUIRED';
}
export class NothingToRevokeError extends DomainError {
  readonly code = 'CREDENTIAL.NOTHING_TO_REVOKE';
  override readonly kind = 'conflict';
}

const ACCEPTED_ASSURANCE = ['IAL2', 'IAL3'] as const;
const SCHEDULES: readonly DeaSchedule[] = ['II', 'III', 'IV', 'V'];
/** A real calendar day (Date.parse would roll 2026-02-30 over into March). */
const isDay = (value: string) => {
  const time = Date.parse(`${value}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
};
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

export const initialState = (): PrescriberCredentialState => ({ status: 'unknown' });

function recordIdentityProofing(command: RecordIdentityProofing): PrescriberCredentialEvent[] {
  requireOps(command.metadata.actor.role, 'record identity proofing');
  const d = command.data;
  // 21 CFR 1311.105(a): identity proofing at NIST SP 800-63-3 IAL2 or higher.
  const level = ACCEPTED_ASSURANCE.find((l) => l === d.assuranceLevel);
  if (!level) {
    throw new AssuranceTooLowError(`Identity proofing at ${d.assuranceLevel} is below IAL2 (21 CFR 1311.105)`);
  }
  if (!d.credentialServiceProvider.trim() || !d.reference.trim()) {
    throw new ProofingIncompleteError('The credential service provider and its reference are required');
  }
  if (!isDay(d.proofedOn) || d.proofedOn > dayOf(command.metadata.now)) {
    throw new ProofingDateInvalidError('proofedOn must be a past or present date (YYYY-MM-DD)');
  }
  return [{ type: 'IdentityProofed', data: { ...d, assuranceLevel: level } }];
}

function recordDeaRegistration(command: RecordDeaRegistration): PrescriberCredentialEvent[] {
  requireOps(command.metadata.actor.role, 'record a DEA registration');
  const d = command.data;
  if (d.schedules.length === 0 || d.schedules.some((s) => !SCHEDULES.includes(s))) {
    throw new SchedulesInvalidError('A DEA registration authorises one or more of schedules II-V');
  }
  if (!isDay(d.expiresOn) || !/^[A-Z]{2}$/.test(d.state)) {
    throw new RegistrationInvalidError('expiresOn (YYYY-MM-DD) and a two-letter state are required');
  }
  return [{ type: 'DeaRegistrationRecorded', data: { ...d, schedules: SCHEDULES.filter((s) => d.schedules.includes(s)) } }];
}

function recordStateLicence(command: RecordStateLicence): PrescriberCredentialEvent[] {
  requireOps(command.metadata.actor.role, 'record a state licence');
  const d = command.data;
  if (!isDay(d.expiresOn) || !/^[A-Z]{2}$/.test(d.state) || !d.licenceNumber.trim()) {
    throw new LicenceInvalidError('A licence number, a two-letter state and expiresOn (YYYY-MM-DD) are required');
  }
  return [{ type: 'StateLicenceRecorded', data: d }];
}

function approveEpcsAccess(command: ApproveEpcsAccess, state: PrescriberCredentialState): PrescriberCredentialEvent[] {
  const { actor, now } = command.metadata;
  // 21 CFR 1311.125: two individuals, at least one a DEA registrant, approve the access; the
  // prescriber whose access it is cannot be one of them.
  const { providerId, approverDeaNumber } = command.data;
  requireApprover(actor.role, approverDeaNumber, 'approve EPCS access');
  if (actor.id === providerId) {
    throw new SelfApprovalError('A prescriber cannot approve their own EPCS access');
  }
  if (state.status === 'unknown' || state.identityProofing === null) {
    throw new NotIdentityProofedError(
      'Record the prescriber\u2019s identity proofing (IAL2 or higher) before approving EPCS access (21 CFR 1311.105)',
    );
  }
  const approval: EpcsAccessApproval = {
    approverId: actor.id,
    approverRole: actor.role === 'provider' ? 'provider' : 'ops',
    approverDeaNumber,
    approvedAt: now.toISOString(),
  };
  switch (state.access.status) {
    case 'granted':
      throw new AlreadyGrantedError('EPCS access is already granted');
    case 'none':
      return [{ type: 'EpcsAccessApproved', data: { providerId, approval } }];
    case 'pending': {
      const first = state.access.approval;
      if (first.approverId === actor.id) {
        throw new SameApproverError('The second approval must come from a different individual');
      }
      if (first.approverDeaNumber === null && approverDeaNumber === null) {
        throw new RegistrantApprovalRequiredError('At least one of the two approvers must be a DEA registrant (21 CFR 1311.125)');
      }
      return [
        { type: 'EpcsAccessApproved', data: { providerId, approval } },
        { type: 'EpcsAccessGranted', data: { providerId, approvals: [first, approval], grantedAt: now.toISOString() } },
      ];
    }
    default:
      return assertNever(state.access, 'EPCS access');
  }
}

function revokeEpcsAccess(command: RevokeEpcsAccess, state: PrescriberCredentialState): PrescriberCredentialEvent[] {
  const { actor, now } = command.metadata;
  // One individual suffices to revoke (the two-person rule guards granting, not withdrawing).
  requireApprover(actor.role, command.data.revokerDeaNumber, 'revoke EPCS access');
  if (!command.data.reason.trim()) {
    throw new ReasonRequiredError('A revocation needs a reason');
  }
  if (state.status === 'unknown' || state.access.status === 'none') {
    throw new NothingToRevokeError('The prescriber has no EPCS access granted or pending');
  }
  return [
    { type: 'EpcsAccessRevoked', data: { providerId: command.data.providerId, revokedBy: actor.id, reason: command.data.reason, revokedAt: now.toISOString() } },
  ];
}

export function decide(command: PrescriberCredentialCommand, state: PrescriberCredentialState): PrescriberCredentialEvent[] {
  switch (command.type) {
    case 'RecordIdentityProofing':
      return recordIdentityProofing(command);
    case 'RecordDeaRegistration':
      return recordDeaRegistration(command);
    case 'RecordStateLicence':
      return recordStateLicence(command);
    case 'ApproveEpcsAccess':
      return approveEpcsAccess(command, state);
    case 'RevokeEpcsAccess':
      return revokeEpcsAccess(command, state);
    default: {
      const exhaustive: never = command;
      return assertNever(exhaustive, 'prescriber credential command');
    }
  }
}

function requireOps(role: string, what: string): void {
  if (role !== 'ops') throw new NotAuthorisedError(`Only practice operations staff may ${what}`);
}

/** Approvers: operations staff, or a prescriber who is a DEA registrant (their registration known here). */
function requireApprover(role: string, deaNumber: string | null, what: string): void {
  if (role === 'ops') return;
  if (role === 'provider' && deaNumber !== null) return;
  throw new NotAuthorisedError(`Only practice operations staff or a prescriber with a current DEA registration may ${what}`);
}

export function evolve(state: PrescriberCredentialState, event: PrescriberCredentialEvent): PrescriberCredentialState {
  const known =
    state.status === 'known'
      ? state
      : { status: 'known' as const, providerId: event.data.providerId, identityProofing: null, deaRegistrations: [], stateLicences: [], access: { status: 'none' as const } };
  switch (event.type) {
    case 'IdentityProofed':
      return { ...known, identityProofing: event.data };
    case 'DeaRegistrationRecorded':
      return { ...known, deaRegistrations: [...known.deaRegistrations.filter((r) => r.deaNumber !== event.data.deaNumber), event.data] };
    case 'StateLicenceRecorded':
      return { ...known, stateLicences: [...known.stateLicences.filter((l) => l.state !== event.data.state), event.data] };
    case 'EpcsAccessApproved':
      return known.access.status === 'none' ? { ...known, access: { status: 'pending', approval: event.data.approval } } : known;
    case 'EpcsAccessGranted':
      return { ...known, access: { status: 'granted', approvals: event.data.approvals, grantedAt: event.data.grantedAt } };
    case 'EpcsAccessRevoked':
      return { ...known, access: { status: 'none' } };
    default: {
      const exhaustive: never = event;
      return assertNever(exhaustive, 'prescriber credential event');
    }
  }
}

/** The DEA registration of this prescriber valid at `at` (as its state counts days), for an approver's check. */
export function currentDeaNumber(state: PrescriberCredentialState, at: Date): string | null {
  if (state.status !== 'known') return null;
  return state.deaRegistrations.find((r) => validThroughIn(r.state, r.expiresOn, at))?.deaNumber ?? null;
}

export const prescriberCredentialDecider: Decider<PrescriberCredentialCommand, PrescriberCredentialEvent, PrescriberCredentialState> = {
  decide,
  evolve,
  initialState,
};
