import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentActor, parseBody, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { RuleViolation } from '@carebridge/shared-kernel';
import { commandMetadata } from '../http/command-metadata.http-support';
import { Commands } from '../http/commands.http-support';
import { pharmacyDecider } from '../pharmacy/pharmacy.decider';
import { pharmacyStreamId } from '../pharmacy/pharmacy.stream';
import { patientProfileDecider } from './patient-profile.decider';
import { patientProfileStreamId } from './patient-profile.stream';

export const preferredPharmacyBody = z.object({ ncpdpId: z.string().regex(/^\d{7}$/, 'must be a 7-digit NCPDP id') });
export const allergyBody = z.object({
  rxcui: z.string().regex(/^\d{1,10}$/, 'must be an RxNorm ingredient concept id'),
  display: z.string().min(1).max(200),
  criticality: z.enum(['low', 'high', 'unable-to-assess']),
});

/** A patient changes only their own profile (their preferred pharmacy is where prescriptions go). */
function assertOwnProfile(actor: AuthenticatedActor, patientId: string): void {
  if (actor.role === 'patient' && actor.patientId !== patientId) {
    throw new RuleViolation('PATIENT_PROFILE.NOT_YOURS', 'A patient may change only their own profile', { patientId }, 'forbidden');
  }
}

@Controller('v1/patients/:patientId')
export class PatientProfileController {
  constructor(private readonly commands: Commands) {}

  @Put('preferred-pharmacy')
  @HttpCode(200)
  @Roles('patient')
  async choosePharmacy(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('patientId', ParseUUIDPipe) patientId: string,
    @Body() body: unknown,
  ) {
    assertOwnProfile(actor, patientId);
    const { ncpdpId } = parseBody(preferredPharmacyBody, body);
    const pharmacy = await this.commands.state(pharmacyStreamId(ncpdpId), pharmacyDecider);
    if (pharmacy.status !== 'listed') throw new RuleViolation('PHARMACY.NOT_FOUND', 'No such pharmacy', {}, 'not-found');
    await this.commands.run(patientProfileStreamId(patientId), patientProfileDecider, {
      type: 'ChoosePreferredPharmacy',
      data: { patientId, pharmacy: { pharmacyId: pharmacy.pharmacy.pharmacyId, ncpdpId, acceptsEPrescribing: pharmacy.pharmacy.acceptsEPrescribing } },
      metadata: commandMetadata(actor, request),
    });
    return { patientId, preferredPharmacy: { ncpdpId, name: pharmacy.pharmacy.name } };
  }

  @Post('allergies')
  @HttpCode(201)
  @Roles('patient', 'provider')
  async recordAllergy(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('patientId', ParseUUIDPipe) patientId: string,
    @Body() body: unknown,
  ) {
    assertOwnProfile(actor, patientId);
    const allergy = parseBody(allergyBody, body);
    await this.commands.run(patientProfileStreamId(patientId), patientProfileDecider, {
      type: 'RecordAllergy',
      data: { patientId, ...allergy },
      metadata: commandMetadata(actor, request),
    });
    return { patientId, rxcui: allergy.rxcui };
  }

  /** The patient themselves, or a provider with a care relationship (the access policy: libs/access-audit). */
  @Get('medication-profile')
  @Roles('patient', 'provider')
  async profile(@CurrentActor() actor: AuthenticatedActor, @Param('patientId', ParseUUIDPipe) patientId: string) {
    if (actor.role === 'patient' && actor.patientId !== patientId) {
      throw new RuleViolation('PATIENT_PROFILE.NOT_FOUND', 'No such patient profile', {}, 'not-found');
    }
    const state = await this.commands.state(patientProfileStreamId(patientId), patientProfileDecider);
    return state.status === 'known'
      ? { patientId, preferredPharmacy: state.preferredPharmacy, allergies: state.allergies }
      : { patientId, preferredPharmacy: null, allergies: [] };
  }
}
