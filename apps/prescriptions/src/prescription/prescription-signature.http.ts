import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { CurrentActor, Public, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { RuleViolation } from '@carebridge/shared-kernel';
import { PrescriptionAccess } from '../http/prescription.access';
import { Commands } from '../http/commands.http-support';
import { RECORD_SIGNER } from '../http/prescriptions.tokens';
import type { PrescriptionSignedData, PrescriptionTransmittedData } from './prescription.events';
import { prescriptionStreamId } from './prescription.stream';
import { signedNewRxContent } from './record-signature.rules';
import type { RecordSigner } from './record-signer.crypto';

/**
 * The application's digital signature of a prescription record (21 CFR 1311.120(b)): what was
 * recorded, and a verification that recomputes the signed content from the stored NewRx.
 */
@Controller('v1')
export class PrescriptionSignatureController {
  constructor(
    private readonly commands: Commands,
    private readonly access: PrescriptionAccess,
    @Inject(RECORD_SIGNER) private readonly signer: RecordSigner,
  ) {}

  @Get('prescriptions/:prescriptionId/signature')
  @Roles('provider', 'patient', 'pharmacy')
  async signature(@CurrentActor() actor: AuthenticatedActor, @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string) {
    await this.access.read(actor, prescriptionId);
    const { signed, transmitted } = await this.signedRecord(prescriptionId);
    return {
      prescriptionId,
      signedBy: signed.data.signedBy,
      signedAt: signed.data.signedAt,
      ...signed.data.recordSignature,
      // The exact signed bytes (UTF-8 of this canonical JSON): anyone can verify them with the
      // published keys (`verifyWithPublishedKeys` in record-signer.crypto.ts), without trusting this service.
      signedContent: signedNewRxContent(transmitted.data.newRx, signed.data.signedAt, signed.data.signedBy),
    };
  }

  /** Recomputes the canonical NewRx content from the event store and checks digest and signature. */
  @Get('prescriptions/:prescriptionId/signature/verification')
  @Roles('provider', 'patient', 'pharmacy')
  async verification(@CurrentActor() actor: AuthenticatedActor, @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string) {
    await this.access.read(actor, prescriptionId);
    const { signed, transmitted } = await this.signedRecord(prescriptionId);
    const record = signed.data.recordSignature!;
    const check = this.signer.verify(signedNewRxContent(transmitted.data.newRx, signed.data.signedAt, signed.data.signedBy), record);
    return {
      prescriptionId,
      valid: check.valid,
      ...(!check.valid && { reason: check.reason }),
      keyId: record.keyId,
      recordedDigest: record.digest.value,
      recomputedDigest: check.digest,
    };
  }

  /** The public keys of record signatures (RFC 7517 JWKS): current and configured older keys. */
  @Get('prescription-signing-keys')
  @Public()
  keys() {
    return this.signer.jwks();
  }

  private async signedRecord(prescriptionId: string) {
    const events = await this.commands.store.readStream(prescriptionStreamId(prescriptionId));
    const signed = events.find((e) => e.type === 'PrescriptionSigned') as { data: PrescriptionSignedData } | undefined;
    const transmitted = events.find((e) => e.type === 'PrescriptionTransmitted') as { data: PrescriptionTransmittedData } | undefined;
    if (!signed || !transmitted || !signed.data.recordSignature) {
      throw new RuleViolation('PRESCRIPTION.NOT_DIGITALLY_SIGNED', 'This prescription has no record signature (not signed, or signed before record signatures)', {}, 'not-found');
    }
    return { signed, transmitted };
  }
}
