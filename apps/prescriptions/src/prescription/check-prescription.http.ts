import { Controller, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CurrentActor, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { PrescriptionAccess } from '../http/prescription.access';
import { commandMetadata } from '../http/command-metadata.http-support';
import { Commands } from '../http/commands.http-support';
import { patientProfileDecider } from '../patient-profile/patient-profile.decider';
import { patientProfileStreamId } from '../patient-profile/patient-profile.stream';
import { prescriptionDecider } from './prescription.decider';
import { prescriptionStreamId } from './prescription.stream';

@Controller('v1/prescriptions')
export class CheckPrescriptionController {
  constructor(
    private readonly commands: Commands,
    private readonly access: PrescriptionAccess,
  ) {}

  /** Runs the allergy, duplicate-therapy and interaction checks against what we know of the patient now. */
  @Post(':prescriptionId/check')
  @HttpCode(200)
  @Roles('provider')
  async check(@CurrentActor() actor: AuthenticatedActor, @Req() request: Request, @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string) {
    await this.access.requireHolder(actor, prescriptionId);
    const streamId = prescriptionStreamId(prescriptionId);
    const current = await this.commands.state(streamId, prescriptionDecider);
    const patientId = current.status === 'none' ? null : current.rx.patientId;
    const profile = patientId ? await this.commands.state(patientProfileStreamId(patientId), patientProfileDecider) : null;
    const result = await this.commands.run(streamId, prescriptionDecider, {
      type: 'CheckPrescription',
      data: {
        allergies: profile?.status === 'known' ? profile.allergies : [],
        activeMedications: patientId ? await this.access.activeFor(patientId) : [],
      },
      metadata: commandMetadata(actor, request),
    });
    const state = result.state;
    return { prescriptionId, status: state.status, findings: state.status === 'checked' ? state.findings : [] };
  }
}
