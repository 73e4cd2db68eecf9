import { assertNever, DomainError, type Command, type Decider, type DomainErrorKind, validThroughIn } from '@carebridge/shared-kernel';
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

export class PrescriberCredentialError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    override readonly kind: DomainErrorKind,
  ) {
    super(message);
  }
}

const ACCEPTED_ASSURANCE = ['IAL2', 'IAL3'] as const;
const SCHEDULES: readonly DeaSchedule[] = ['II', 'III', 'IV', 'V'];
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
const dayOf = (at: Date) => at.toISOString().slice(0, 10);

export const initialState = (): PrescriberCredentialState => ({ status: 'unknown' });

export function decide(command: PrescriberCredentialCommand, state: PrescriberCredentialState): PrescriberCredentialEvent[] {
  const { actor, now } = command.metadata;
  const today = dayOf(now);
  switch (command.type) {
    case 'RecordIdentityProofing': {
      requireOps(actor.role, 'record identity proofing');
      const d = command.data;
      // 21 CFR 1311.105(a): identity proofing at NIST SP 800-63-3 IAL2 or higher.
      const level = ACCEPTED_ASSURANCE.find((l) => l === d.assuranceLevel);
      if (!level) {
        throw new PrescriberCredentialError('CREDENTIAL.ASSURANCE_TOO_LOW', `Identity proofing at ${d.assuranceLevel} is below IAL2 (21 CFR 1311.105)`, 'rule');
      }
      if (!d.credentialServiceProvider.trim() || !d.reference.trim()) {
        throw new PrescriberCredentialError('CREDENTIAL.PROOFING_INCOMPLETE', 'The credential service provider and its reference are required', 'rule');
      }
      if (!isDay(d.proofedOn) || d.proofedOn > today) {
        throw new PrescriberCredentialError('CREDENTIAL.PROOFING_DATE_INVALID', 'proofedOn must be a past or present date (YYYY-MM-DD)', 'rule');
      }
      return [{ type: 'IdentityProofed', data: { ...d, assuranceLevel: level } }];
    }

    case 'RecordDeaRegistration': {
      requireOps(actor.role, 'record a DEA registration');
      const d = command.data;
      if (d.schedules.length === 0 || d.schedules.some((s) => !SCHEDULES.includes(s))) {
        throw new PrescriberCredentialError('CREDENTIAL.SCHEDULES_INVALID', 'A DEA registration authorises one or more of schedules II-V', 'rule');
      }
      if (!isDay(d.expiresOn) || !/^[A-Z]{2}$/.test(d.state)) {
        throw new PrescriberCredentialError('CREDENTIAL.REGISTRATION_INVALID', 'expiresOn (YYYY-MM-DD) and a two-letter state are required', 'rule');
      }
      return [{ type: 'DeaRegistrationRecorded', data: { ...d, schedules: SCHEDULES.filter((s) => d.schedules.includes(s)) } }];
    }

    case 'RecordStateLicence': {
      requireOps(actor.role, 'record a state licence');
      const d = command.data;
      if (!isDay(d.expiresOn) || !/^[A-Z]{2}$/.test(d.state) || !d.licenceNumber.trim()) {
        throw new PrescriberCredentialError('CREDENTIAL.LICENCE_INVALID', 'A licence number, a two-letter state and expiresOn (YYYY-MM-DD) are required', 'rule');
      }
      return [{ type: 'StateLicenceRecorded', data: d }];
    }

    case 'ApproveEpcsAccess': {
      // 21 CFR 1311.125: two individuals, at least one a DEA registrant, approve the access; the
      // prescriber whose access it is cannot be one of them.
      const { providerId, approverDeaNumber } = command.data;
      requireApprover(actor.role, approverDeaNumber, 'approve EPCS access');
      if (actor.id === providerId) {
        throw new PrescriberCredentialError('CREDENTIAL.SELF_APPROVAL', 'A prescriber cannot approve their own EPCS access', 'forbidden');
      }
      if (state.status === 'unknown' || state.identityProofing === null) {
        throw new PrescriberCredentialError(
          'CREDENTIAL.NOT_IDENTITY_PROOFED',
          'Record the prescriber\u2019s identity proofing (IAL2 or higher) before approving EPCS access (21 CFR 1311.105)',
          'rule',
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
          throw new PrescriberCredentialError('CREDENTIAL.ALREADY_GRANTED', 'EPCS access is already granted', 'conflict');
        case 'none':
          return [{ type: 'EpcsAccessApproved', data: { providerId, approval } }];
        case 'pending': {
          const first = state.access.approval;
          if (first.approverId === actor.id) {
            throw new PrescriberCredentialError('CREDENTIAL.SAME_APPROVER', 'The second approval must come from a different individual', 'conflict');
          }
          if (first.approverDeaNumber === null && approverDeaNumber === null) {
            throw new PrescriberCredentialError(
              'CREDENTIAL.REGISTRANT_APPROVAL_REQUIRED',
              'At least one of the two approvers must be a DEA registrant (21 CFR 1311.125)',
              'forbidden',
            );
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

    case 'RevokeEpcsAccess': {
      // One individual suffices to revoke (the two-person rule guards granting, not withdrawing).
      requireApprover(actor.role, command.data.revokerDeaNumber, 'revoke EPCS access');
      if (!command.data.reason.trim()) {
        throw new PrescriberCredentialError('CREDENTIAL.REASON_REQUIRED', 'A revocation needs a reason', 'rule');
      }
      if (state.status === 'unknown' || state.access.status === 'none') {
        throw new PrescriberCredentialError('CREDENTIAL.NOTHING_TO_REVOKE', 'The prescriber has no EPCS access granted or pending', 'conflict');
      }
      return [
        { type: 'EpcsAccessRevoked', data: { providerId: command.data.providerId, revokedBy: actor.id, reason: command.data.reason, revokedAt: now.toISOString() } },
      ];
    }

    default:
      return assertNever(command, 'prescriber credential command');
  }
}

function requireOps(role: string, what: string): void {
  if (role !== 'ops') throw new PrescriberCredentialError('CREDENTIAL.NOT_AUTHORISED', `Only practice operations staff may ${what}`, 'forbidden');
}

/** Approvers: operations staff, or a prescriber who is a DEA registrant (their registration known here). */
function requireApprover(role: string, deaNumber: string | null, what: string): void {
  if (role === 'ops') return;
  if (role === 'provider' && deaNumber !== null) return;
  throw new PrescriberCredentialError(
    'CREDENTIAL.NOT_AUTHORISED',
    `Only practice operations staff or a prescriber with a current DEA registration may ${what}`,
    'forbidden',
  );
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
    default:
      return assertNever(event, 'prescriber credential event');
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
