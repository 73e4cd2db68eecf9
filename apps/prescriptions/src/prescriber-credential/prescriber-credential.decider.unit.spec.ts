import { DeciderSpecification } from '@carebridge/event-store';
import type { CommandMetadata, DomainError } from '@carebridge/shared-kernel';
import { currentDeaNumber, evolve, initialState, prescriberCredentialDecider, type PrescriberCredentialCommand } from './prescriber-credential.decider';
import type { EpcsAccessApproval, PrescriberCredentialEvent } from './prescriber-credential.events';

const spec = DeciderSpecification.for(prescriberCredentialDecider);
const code = (expected: string) => (error: Error) => (error as DomainError).code === expected;

const providerId = 'prescriber-1';
const now = new Date('2026-11-22T10:00:00Z');
const meta = (role: CommandMetadata['actor']['role'], id: string): CommandMetadata => ({ now, actor: { id, role }, correlationId: 'c' });
const ops = (id = 'ops-1') => meta('ops', id);

const proofing = { providerId, credentialServiceProvider: 'Example CSP', assuranceLevel: 'IAL2', proofedOn: '2026-11-01', reference: 'csp-123' };
const proofed: PrescriberCredentialEvent = { type: 'IdentityProofed', data: { ...proofing, assuranceLevel: 'IAL2' } };
const record = (data = proofing, m = ops()): PrescriberCredentialCommand => ({ type: 'RecordIdentityProofing', data, metadata: m });
const approve = (m: CommandMetadata, approverDeaNumber: string | null = null): PrescriberCredentialCommand => ({
  type: 'ApproveEpcsAccess',
  data: { providerId, approverDeaNumber },
  metadata: m,
});
const approval = (approverId: string, approverRole: 'ops' | 'provider', approverDeaNumber: string | null): EpcsAccessApproval => ({
  approverId,
  approverRole,
  approverDeaNumber,
  approvedAt: now.toISOString(),
});
const approvedBy = (a: EpcsAccessApproval): PrescriberCredentialEvent => ({ type: 'EpcsAccessApproved', data: { providerId, approval: a } });
const opsApproval = approval('ops-1', 'ops', null);
const registrantApproval = approval('registrant-1', 'provider', 'BC2345672');
const granted: PrescriberCredentialEvent = { type: 'EpcsAccessGranted', data: { providerId, approvals: [opsApproval, registrantApproval], grantedAt: now.toISOString() } };

describe('prescriber credential decider', () => {
  describe('identity proofing (21 CFR 1311.105)', () => {
    it('records identity proofing at IAL2 by operations staff', () => {
      spec.given([]).when(record()).then([proofed]);
    });

    it('refuses IAL1', () => {
      spec.given([]).when(record({ ...proofing, assuranceLevel: 'IAL1' })).thenThrows(code('CREDENTIAL.ASSURANCE_TOO_LOW'));
    });

    it('refuses proofing without the credential service provider\u2019s reference', () => {
      spec.given([]).when(record({ ...proofing, reference: ' ' })).thenThrows(code('CREDENTIAL.PROOFING_INCOMPLETE'));
    });

    it('refuses a proofing date in the future', () => {
      spec.given([]).when(record({ ...proofing, proofedOn: '2026-12-01' })).thenThrows(code('CREDENTIAL.PROOFING_DATE_INVALID'));
    });

    it('refuses a prescriber recording their own proofing', () => {
      spec.given([]).when(record(proofing, meta('provider', providerId))).thenThrows(code('CREDENTIAL.NOT_AUTHORISED'));
    });
  });

  describe('DEA registration and state licence', () => {
    it('records a DEA registration with its schedules in order, state and expiry', () => {
      spec
        .given([])
        .when({ type: 'RecordDeaRegistration', data: { providerId, deaNumber: 'AB1234563', schedules: ['IV', 'II'], state: 'IL', expiresOn: '2027-12-31' }, metadata: ops() })
        .then([{ type: 'DeaRegistrationRecorded', data: { providerId, deaNumber: 'AB1234563', schedules: ['II', 'IV'], state: 'IL', expiresOn: '2027-12-31' } }]);
    });

    it('refuses a registration authorising no schedule', () => {
      spec
        .given([])
        .when({ type: 'RecordDeaRegistration', data: { providerId, deaNumber: 'AB1234563', schedules: [], state: 'IL', expiresOn: '2027-12-31' }, metadata: ops() })
        .thenThrows(code('CREDENTIAL.SCHEDULES_INVALID'));
    });

    it('refuses a registration without a two-letter state', () => {
      spec
        .given([])
        .when({ type: 'RecordDeaRegistration', data: { providerId, deaNumber: 'AB1234563', schedules: ['II'], state: 'Illinois', expiresOn: '2027-12-31' }, metadata: ops() })
        .thenThrows(code('CREDENTIAL.REGISTRATION_INVALID'));
    });

    it('refuses a state licence without a licence number', () => {
      const data = { providerId, state: 'IL', licenceNumber: ' ', expiresOn: '2027-07-31' };
      spec.given([]).when({ type: 'RecordStateLicence', data, metadata: ops() }).thenThrows(code('CREDENTIAL.LICENCE_INVALID'));
    });

    it('records a state licence', () => {
      const data = { providerId, state: 'IL', licenceNumber: '036-123456', expiresOn: '2027-07-31' };
      spec.given([]).when({ type: 'RecordStateLicence', data, metadata: ops() }).then([{ type: 'StateLicenceRecorded', data }]);
    });

    it('finds the registration valid at an instant, through its expiry day in its own state, for an approver', () => {
      const state = [
        { type: 'DeaRegistrationRecorded', data: { providerId, deaNumber: 'AB1234563', schedules: ['II'], state: 'IL', expiresOn: '2026-12-31' } },
      ].reduce((s, e) => evolve(s, e as PrescriberCredentialEvent), initialState());
      // 23:30 in Illinois (CST) on the expiry day is already 2027-01-01 in UTC.
      const at = (iso: string) => currentDeaNumber(state, new Date(iso));
      expect([at('2026-11-22T12:00:00Z'), at('2027-01-01T05:30:00Z'), at('2027-01-01T06:00:00Z')]).toEqual(['AB1234563', 'AB1234563', null]);
    });
  });

  describe('EPCS access (21 CFR 1311.125)', () => {
    it('refuses an approval before identity proofing', () => {
      spec.given([]).when(approve(ops())).thenThrows(code('CREDENTIAL.NOT_IDENTITY_PROOFED'));
    });

    it('records the first approval as pending', () => {
      spec.given([proofed]).when(approve(ops())).then([approvedBy(opsApproval)]);
    });

    it('grants access on a second approval by a different individual, one a DEA registrant, recording both', () => {
      spec
        .given([proofed, approvedBy(opsApproval)])
        .when(approve(meta('provider', 'registrant-1'), 'BC2345672'))
        .then([approvedBy(registrantApproval), granted]);
    });

    it('refuses the same individual approving twice', () => {
      spec.given([proofed, approvedBy(opsApproval)]).when(approve(ops('ops-1'))).thenThrows(code('CREDENTIAL.SAME_APPROVER'));
    });

    it('refuses two approvers neither of whom is a DEA registrant', () => {
      spec.given([proofed, approvedBy(opsApproval)]).when(approve(ops('ops-2'))).thenThrows(code('CREDENTIAL.REGISTRANT_APPROVAL_REQUIRED'));
    });

    it('refuses the grantee approving their own access', () => {
      spec.given([proofed]).when(approve(meta('provider', providerId), 'AB1234563')).thenThrows(code('CREDENTIAL.SELF_APPROVAL'));
    });

    it('refuses a provider approver who is not a DEA registrant', () => {
      spec.given([proofed]).when(approve(meta('provider', 'someone'), null)).thenThrows(code('CREDENTIAL.NOT_AUTHORISED'));
    });

    it('refuses approving access already granted', () => {
      spec.given([proofed, approvedBy(opsApproval), approvedBy(registrantApproval), granted]).when(approve(ops('ops-3'))).thenThrows(code('CREDENTIAL.ALREADY_GRANTED'));
    });

    it('revokes access on one individual\u2019s decision, with a reason', () => {
      spec
        .given([proofed, approvedBy(opsApproval), approvedBy(registrantApproval), granted])
        .when({ type: 'RevokeEpcsAccess', data: { providerId, reason: 'left the practice', revokerDeaNumber: null }, metadata: ops('ops-9') })
        .then([{ type: 'EpcsAccessRevoked', data: { providerId, revokedBy: 'ops-9', reason: 'left the practice', revokedAt: now.toISOString() } }]);
    });

    it('needs two fresh approvals after a revocation', () => {
      const revoked: PrescriberCredentialEvent = { type: 'EpcsAccessRevoked', data: { providerId, revokedBy: 'ops-9', reason: 'x', revokedAt: now.toISOString() } };
      spec.given([proofed, approvedBy(opsApproval), approvedBy(registrantApproval), granted, revoked]).when(approve(ops())).then([approvedBy(opsApproval)]);
    });

    it('refuses a revocation without a reason', () => {
      spec
        .given([proofed, approvedBy(opsApproval), approvedBy(registrantApproval), granted])
        .when({ type: 'RevokeEpcsAccess', data: { providerId, reason: ' ', revokerDeaNumber: null }, metadata: ops('ops-9') })
        .thenThrows(code('CREDENTIAL.REASON_REQUIRED'));
    });

    it('refuses revoking when nothing is granted or pending', () => {
      spec
        .given([proofed])
        .when({ type: 'RevokeEpcsAccess', data: { providerId, reason: 'x', revokerDeaNumber: null }, metadata: ops() })
        .thenThrows(code('CREDENTIAL.NOTHING_TO_REVOKE'));
    });
  });
});
