import { Body, Controller, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentActor, parseBody, RequestValidationError, Roles, type AuthenticatedActor, usJurisdictionCode } from '@carebridge/platform';
import { RuleViolation } from '@carebridge/shared-kernel';
import { commandMetadata } from '../http/command-metadata.http-support';
import { Commands } from '../http/commands.http-support';
import { isValidDeaNumber } from '../prescription/controlled-substance.rules';
import { currentDeaNumber, prescriberCredentialDecider, type PrescriberCredentialCommand } from './prescriber-credential.decider';
import { prescriberCredentialStreamId } from './prescriber-credential.stream';

/** A real calendar day: 2026-02-30 is refused. */
const day = z.iso.date({ message: 'must be a date, YYYY-MM-DD' });
export const identityProofingBody = z.object({
  credentialServiceProvider: z.string().min(1).max(200),
  /** NIST SP 800-63-3; below IAL2 is refused (422). */
  assuranceLevel: z.enum(['IAL1', 'IAL2', 'IAL3']),
  proofedOn: day,
  reference: z.string().min(1).max(200),
});
export const deaRegistrationBody = z.object({
  schedules: z.array(z.enum(['II', 'III', 'IV', 'V'])).min(1),
  state: usJurisdictionCode,
  expiresOn: day,
});
export const stateLicenceBody = z.object({ licenceNumber: z.string().min(1).max(50), expiresOn: day });
export const revocationBody = z.object({ reason: z.string().min(1).max(500) });

/** Provider ids are UUIDs (tokens carry them as such). */
function providerIdParam(value: string): string {
  if (!z.uuid().safeParse(value).success) throw new RequestValidationError([{ field: 'providerId', message: 'not a provider id (a UUID)' }]);
  return value;
}

/**
 * A prescriber's EPCS credential (21 CFR 1311.105, 1311.110, 1311.125): identity proofing, DEA
 * registrations and state licences recorded by practice operations staff (`ops`: the platform
 * has no practice-admin role), and the two-person grant of access to sign controlled
 * prescriptions, approved by `ops` staff or prescribers who are DEA registrants.
 */
@Controller('v1/prescribers/:providerId')
export class PrescriberCredentialController {
  constructor(private readonly commands: Commands) {}

  @Put('identity-proofing')
  @HttpCode(200)
  @Roles('ops')
  async proofing(@CurrentActor() actor: AuthenticatedActor, @Req() request: Request, @Param('providerId') rawId: string, @Body() body: unknown) {
    const providerId = providerIdParam(rawId);
    const input = parseBody(identityProofingBody, body);
    return this.run(providerId, { type: 'RecordIdentityProofing', data: { providerId, ...input }, metadata: commandMetadata(actor, request, 'operations') });
  }

  @Put('dea-registrations/:deaNumber')
  @HttpCode(200)
  @Roles('ops')
  async deaRegistration(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('providerId') rawId: string,
    @Param('deaNumber') deaNumber: string,
    @Body() body: unknown,
  ) {
    const providerId = providerIdParam(rawId);
    if (!isValidDeaNumber(deaNumber)) throw new RequestValidationError([{ field: 'deaNumber', message: 'is not a valid DEA registration number' }]);
    const input = parseBody(deaRegistrationBody, body);
    return this.run(providerId, { type: 'RecordDeaRegistration', data: { providerId, deaNumber, ...input }, metadata: commandMetadata(actor, request, 'operations') });
  }

  @Put('state-licences/:state')
  @HttpCode(200)
  @Roles('ops')
  async stateLicence(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('providerId') rawId: string,
    @Param('state') state: string,
    @Body() body: unknown,
  ) {
    const providerId = providerIdParam(rawId);
    const input = parseBody(stateLicenceBody, body);
    return this.run(providerId, { type: 'RecordStateLicence', data: { providerId, state, ...input }, metadata: commandMetadata(actor, request, 'operations') });
  }

  /** One of the two approvals of EPCS access (21 CFR 1311.125); the second grants it. */
  @Post('epcs-access/approvals')
  @HttpCode(201)
  @Roles('ops', 'provider')
  async approve(@CurrentActor() actor: AuthenticatedActor, @Req() request: Request, @Param('providerId') rawId: string) {
    const providerId = providerIdParam(rawId);
    const metadata = commandMetadata(actor, request, 'operations');
    const approverDeaNumber = await this.registrantNumber(actor, metadata.now);
    return this.run(providerId, { type: 'ApproveEpcsAccess', data: { providerId, approverDeaNumber }, metadata });
  }

  @Post('epcs-access/revocation')
  @HttpCode(200)
  @Roles('ops', 'provider')
  async revoke(@CurrentActor() actor: AuthenticatedActor, @Req() request: Request, @Param('providerId') rawId: string, @Body() body: unknown) {
    const providerId = providerIdParam(rawId);
    const input = parseBody(revocationBody, body);
    const metadata = commandMetadata(actor, request, 'operations');
    const revokerDeaNumber = await this.registrantNumber(actor, metadata.now);
    return this.run(providerId, { type: 'RevokeEpcsAccess', data: { providerId, reason: input.reason, revokerDeaNumber }, metadata });
  }

  /** The credential as recorded: operations staff, or the prescriber themself. */
  @Get('credential')
  @Roles('ops', 'provider')
  async credential(@CurrentActor() actor: AuthenticatedActor, @Param('providerId') rawId: string) {
    const providerId = providerIdParam(rawId);
    if (actor.role === 'provider' && actor.id !== providerId) {
      throw new RuleViolation('CREDENTIAL.NOT_YOURS', 'A prescriber may read only their own credential', {}, 'forbidden');
    }
    const state = await this.commands.state(prescriberCredentialStreamId(providerId), prescriberCredentialDecider);
    return state.status === 'unknown'
      ? { providerId, identityProofing: null, deaRegistrations: [], stateLicences: [], epcsAccess: { status: 'none' } }
      : { providerId, identityProofing: state.identityProofing, deaRegistrations: state.deaRegistrations, stateLicences: state.stateLicences, epcsAccess: state.access };
  }

  /** A provider approver counts as a DEA registrant only with a registration recorded here, valid today. */
  private async registrantNumber(actor: AuthenticatedActor, now: Date): Promise<string | null> {
    if (actor.role !== 'provider') return null;
    const own = await this.commands.state(prescriberCredentialStreamId(actor.id), prescriberCredentialDecider);
    return currentDeaNumber(own, now);
  }

  private async run(providerId: string, command: PrescriberCredentialCommand) {
    const result = await this.commands.run(prescriberCredentialStreamId(providerId), prescriberCredentialDecider, command);
    const state = result.state;
    return { providerId, epcsAccess: state.status === 'known' ? state.access.status : 'none' };
  }
}
