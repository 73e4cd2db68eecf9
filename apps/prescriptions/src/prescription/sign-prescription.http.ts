import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentActor, parseBody, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { RuleViolation } from '@carebridge/shared-kernel';
import { PrescriptionAccess } from '../http/prescription.access';
import { commandMetadata } from '../http/command-metadata.http-support';
import { Commands } from '../http/commands.http-support';
import { ONE_TIME_CODES, RECORD_SIGNER } from '../http/prescriptions.tokens';
import { patientProfileDecider } from '../patient-profile/patient-profile.decider';
import { patientProfileStreamId } from '../patient-profile/patient-profile.stream';
import { pharmacyDecider } from '../pharmacy/pharmacy.decider';
import { pharmacyStreamId } from '../pharmacy/pharmacy.stream';
import { prescriberCredentialDecider, type PrescriberCredentialState } from '../prescriber-credential/prescriber-credential.decider';
import { prescriberCredentialStreamId } from '../prescriber-credential/prescriber-credential.stream';
import type { OneTimeCodes } from '../prescriber-otp/one-time-codes.adapter';
import { epcsReadiness, type EpcsCredential } from './epcs-signing.rules';
import { signedNewRxContent } from './record-signature.rules';
import type { RecordSigner } from './record-signer.crypto';
import { prescriptionDecider } from './prescription.decider';
import { prescriptionStreamId } from './prescription.stream';

const name = z.string().trim().min(1).max(35);
// Exactly ten digits, with the usual separators.
const phone = z.string().regex(/^(?=(?:\D*\d){10}\D*$)[\d\s()+.-]{10,20}$/, 'must be a 10-digit US phone number');
const address = z.object({
  line: z.array(z.string().trim().min(1).max(55)).min(1).max(2),
  city: z.string().trim().min(1).max(35),
  state: z.string().regex(/^[A-Z]{2}$/, 'must be a USPS state code'),
  postalCode: z.string().regex(/^\d{5}(-\d{4})?$/, 'must be a ZIP code'),
});

export const signBody = z.object({
  /** The patient as the NCPDP SCRIPT messages identify them (this service keeps no demographics). */
  patient: z.object({
    lastName: name,
    firstName: name,
    gender: z.enum(['M', 'F', 'U']),
    dateOfBirth: z.iso.date(),
    address: address.nullable().default(null),
    phone: phone.nullable().default(null),
  }),
  /** The prescriber's practice as the pharmacy reaches it (SCRIPT Prescriber Name, Address, CommunicationNumbers). */
  prescriber: z.object({ lastName: name, firstName: name, address, phone, fax: phone.nullable().default(null) }),
  overrides: z.array(z.object({ findingId: z.string().min(1), reason: z.string().min(1).max(500) })).default([]),
  /** The prescriber's current TOTP code: the second factor for controlled substances. */
  oneTimeCode: z.string().regex(/^\d{6}$/, 'must be 6 digits').optional(),
  /** NCPDP id of the pharmacy; defaults to the patient's preferred pharmacy. */
  pharmacyNcpdpId: z.string().regex(/^\d{7}$/, 'must be a 7-digit NCPDP id').optional(),
});

@Controller('v1/prescriptions')
export class SignPrescriptionController {
  constructor(
    private readonly commands: Commands,
    private readonly access: PrescriptionAccess,
    @Inject(ONE_TIME_CODES) private readonly codes: OneTimeCodes,
    @Inject(RECORD_SIGNER) private readonly signer: RecordSigner,
  ) {}

  /** Signs and transmits (NewRx through the relay to the pharmacy topic). */
  @Post(':prescriptionId/sign')
  @HttpCode(200)
  @Roles('provider')
  async sign(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string,
    @Body() body: unknown,
  ) {
    const input = parseBody(signBody, body);
    await this.access.requireHolder(actor, prescriptionId);
    const metadata = commandMetadata(actor, request);
    const streamId = prescriptionStreamId(prescriptionId);
    const current = await this.commands.state(streamId, prescriptionDecider);
    if (current.status === 'none') throw new RuleViolation('PRESCRIPTION.NOT_FOUND', 'No such prescription', {}, 'not-found');

    let ncpdpId = input.pharmacyNcpdpId;
    if (!ncpdpId) {
      const profile = await this.commands.state(patientProfileStreamId(current.rx.patientId), patientProfileDecider);
      ncpdpId = profile.status === 'known' ? profile.preferredPharmacy?.ncpdpId : undefined;
    }
    if (!ncpdpId) {
      throw new RuleViolation('PRESCRIPTION.PHARMACY_REQUIRED', 'Choose a pharmacy: the patient has no preferred pharmacy', {}, 'rule');
    }
    const pharmacy = await this.commands.state(pharmacyStreamId(ncpdpId), pharmacyDecider);
    if (pharmacy.status !== 'listed') {
      throw new RuleViolation('PRESCRIPTION.PHARMACY_UNKNOWN', `NCPDP ${ncpdpId} is not in the pharmacy directory`, {}, 'rule');
    }

    const schedule = current.rx.medication.deaSchedule;
    const epcsCredential =
      schedule === null ? null : epcsCredentialOf(await this.commands.state(prescriberCredentialStreamId(actor.id), prescriberCredentialDecider));

    // The code is consumed when verified: not for a prescriber the decider will refuse anyway
    // for a missing credential (it names that gap first), so the code stays usable.
    const credentialComplete = schedule === null || epcsReadiness(epcsCredential, schedule, current.rx.prescriber.deaNumber, current.rx.encounter, metadata.now).ready;
    let secondFactor = null;
    if (input.oneTimeCode !== undefined && credentialComplete) {
      const check = await this.codes.verify(actor.id, input.oneTimeCode, metadata.now);
      if (!check.ok) {
        throw new RuleViolation('PRESCRIPTION.ONE_TIME_CODE_REJECTED', `The one-time code was not accepted (${check.reason})`, { reason: check.reason }, 'forbidden');
      }
      secondFactor = { method: 'totp' as const, verifiedAt: metadata.now.toISOString(), enrolledAt: check.enrolledAt };
    }

    // The record signature (21 CFR 1311.120(b)) over the content as read; the decider refuses it
    // if the draft changed before the append.
    const signedContent = signedNewRxContent(current.rx, metadata.now.toISOString(), actor.id);
    const result = await this.commands.run(streamId, prescriptionDecider, {
      type: 'SignPrescription',
      data: {
        overrides: input.overrides,
        secondFactor,
        pharmacy: { pharmacyId: pharmacy.pharmacy.pharmacyId, ncpdpId, acceptsEPrescribing: pharmacy.pharmacy.acceptsEPrescribing },
        epcsCredential,
        recordSignature: { signedContent, signature: this.signer.sign(signedContent) },
        script: {
          parties: {
            patient: input.patient,
            prescriber: input.prescriber,
            pharmacy: { name: pharmacy.pharmacy.name, npi: pharmacy.pharmacy.npi, address: pharmacy.pharmacy.address, phone: pharmacy.pharmacy.phone },
          },
          pharmacyAccepts: pharmacy.pharmacy.scriptVersions ?? [],
        },
      },
      metadata,
    });
    return { prescriptionId, status: result.state.status, pharmacyNcpdpId: ncpdpId };
  }
}

/** The credential as the signing rule reads it (epcs-signing.rules.ts). */
export function epcsCredentialOf(state: PrescriberCredentialState): EpcsCredential | null {
  if (state.status === 'unknown') return null;
  return {
    identityProofing: state.identityProofing,
    accessGrant: state.access.status === 'granted' ? { approvals: state.access.approvals, grantedAt: state.access.grantedAt } : null,
    deaRegistrations: state.deaRegistrations,
  };
}
