import { createHash } from 'node:crypto';
import type { Coverage } from '../coverage/coverage.events';
import type { Determination, EligibilityRequest } from '../eligibility/eligibility.events';
import { withPayerAnswer } from '../rules/payer-answer.rules';
import type { EligibilityInquiry } from '../x12/x12-270.mapping';
import { askPayer } from './ask-payer.adapter';
import type { PayerConnection } from './payer-connection.port';

/** Who we are on the 270 (ISA sender, information receiver) and the connection to the payers. */
export interface PayerCheckOptions {
  readonly connection: PayerConnection;
  readonly senderId: string;
  readonly receiverId: string;
  /** TRN03 of the 270: `1` + our EIN (or `3` + DUNS, `9` + a user-assigned id); see EligibilityInquiry. */
  readonly traceOriginatorId: string;
  /** Characters after each segment terminator; default none. */
  readonly segmentSuffix?: EligibilityInquiry['segmentSuffix'];
  /** The billing organisation (NM1*1P): name and NPI. */
  readonly provider: { readonly name: string; readonly npi: string };
  readonly production?: boolean;
}

export const PAYER_CHECK = Symbol('PAYER_CHECK');

/**
 * X12 service type (1365) of the visit, asked with 30 (health benefit plan coverage): MH mental
 * health, AI substance abuse, else 98 professional (physician) visit - office.
 */
export function serviceTypeOf(request: EligibilityRequest): string {
  switch (request.purpose) {
    case 'mental-health':
      return 'MH';
    case 'sud':
      return 'AI';
    default:
      return '98';
  }
}

/** Which coverages can be asked: a payer with a member id and the subscriber's name on record. */
export function askable(coverage: Coverage | undefined): coverage is Coverage & { payerId: string; memberId: string; subscriber: NonNullable<Coverage['subscriber']> } {
  return coverage !== undefined && coverage.payerKind !== 'self-pay' && !!coverage.payerId && !!coverage.memberId && coverage.subscriber !== undefined;
}

/**
 * The rules' answer with the payer's word added (membership, exclusions, cost share from the 271),
 * when a payer connection is configured and the coverage can be asked; otherwise unchanged.
 * Network I/O: never call it inside a database transaction.
 */
export async function withPayerCheck(
  options: PayerCheckOptions | undefined,
  determination: Determination,
  request: EligibilityRequest,
  coverage: Coverage | undefined,
  determinationId: string,
  now: Date,
): Promise<Determination> {
  if (options === undefined || !askable(coverage) || request.missingFacts !== undefined || request.invalidFacts !== undefined) return determination;
  // ISA13 is nine digits; derived from the determination so a retry sends the same interchange.
  const digest = createHash('sha256').update(determinationId).digest();
  const controlNumber = (digest.readUInt32BE(0) % 999_999_999) + 1;
  const serviceType = serviceTypeOf(request);
  const inquiry: EligibilityInquiry = {
    interchangeControlNumber: controlNumber,
    senderId: options.senderId,
    receiverId: options.receiverId,
    createdAt: now,
    traceNumber: determinationId.replace(/-/g, '').slice(0, 30).toUpperCase(),
    traceOriginatorId: options.traceOriginatorId,
    ...(options.segmentSuffix !== undefined && { segmentSuffix: options.segmentSuffix }),
    payer: { name: coverage.planName ?? coverage.payerId, id: coverage.payerId },
    provider: options.provider,
    subscriber: {
      memberId: coverage.memberId,
      lastName: coverage.subscriber.lastName,
      firstName: coverage.subscriber.firstName,
      ...(coverage.subscriber.birthDate !== undefined && { birthDate: coverage.subscriber.birthDate }),
    },
    dateOfService: request.dateOfService,
    serviceTypes: ['30', serviceType],
    ...(options.production !== undefined && { production: options.production }),
  };
  const answer = await askPayer(options.connection, inquiry, serviceType);
  return withPayerAnswer(determination, answer, {
    payerId: coverage.payerId,
    inquiryControlNumber: String(controlNumber).padStart(9, '0'),
    receivedOn: now.toISOString().slice(0, 10),
  });
}
