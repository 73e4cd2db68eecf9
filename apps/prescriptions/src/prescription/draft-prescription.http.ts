import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { CurrentActor, parseBody, Roles, type AuthenticatedActor, usJurisdictionCode } from '@carebridge/platform';
import { PrescriptionAccess } from '../http/prescription.access';
import { commandMetadata } from '../http/command-metadata.http-support';
import { Commands } from '../http/commands.http-support';
import { prescriptionDecider, type DraftPrescription, type ReviseDraft } from './prescription.decider';
import { prescriptionStreamId } from './prescription.stream';

// Shape errors are 400s naming the field. Absent NewRx elements default to empty so the
// decider's NewRx rule answers 422 naming each one (issue 5, "Bad input").
const text = z.string().max(1000).default('');
export const draftPrescriptionBody = z.object({
  prescriptionId: z.uuid(),
  patientId: z.uuid(),
  visitId: z.uuid().nullable().default(null),
  prescriber: z.object({
    npi: z.string().max(10).default(''),
    deaNumber: z.string().max(9).nullable().default(null),
  }),
  medication: z.object({
    rxnormCode: z.string().regex(/^\d{1,10}$/, 'must be an RxNorm concept id').or(z.literal('')).default(''),
    name: text,
    strength: text,
    doseForm: text,
    ingredientRxcuis: z.array(z.string().regex(/^\d{1,10}$/, 'must be an RxNorm concept id')).max(20).default([]),
    deaSchedule: z.enum(['II', 'III', 'IV', 'V']).nullable().default(null),
    /** The package chosen, if any: SCRIPT ProductCode (qualifier ND). */
    ndc: z.string().regex(/^\d{11}$/, 'must be an 11-digit NDC').optional(),
    /** RxNorm term type of rxnormCode (SCRIPT DrugDBCode qualifier); derived from the name when absent. */
    rxnormTermType: z.enum(['SCD', 'SBD']).optional(),
  }),
  sig: text,
  quantity: z.object({ value: z.number().nonnegative().default(0), unit: text }).default({ value: 0, unit: '' }),
  daysSupply: z.number().int().nonnegative().default(0),
  refills: z.number().int().nonnegative().default(0),
  substitutionAllowed: z.boolean().default(true),
  noteToPharmacist: z.string().max(210).nullable().default(null),
  encounter: z.object({
    modality: z.enum(['in-person', 'audio-video', 'audio-only']),
    priorInPersonEvaluation: z.boolean().default(false),
    indication: z.enum(['opioid-use-disorder']).nullable().default(null),
    patientLocationState: usJurisdictionCode.optional(),
    /** Buprenorphine rule (90 FR 6504): PDMP reviewed, or unavailable with the attempt documented. */
    pdmp: z.enum(['reviewed', 'unavailable']).optional(),
    priorTelemedicineDaysSupply: z.number().int().min(0).max(3650).optional(),
    /** VA rule (90 FR 6523): VA practitioner; another VA practitioner saw this VA patient in person. */
    vaContinuity: z.boolean().optional(),
  }),
  renewalOf: z.uuid().nullable().default(null),
  /** Required to prescribe a product below the schedule the controlled-substance table gives it. */
  deaScheduleLoweredReason: z.string().max(500).nullable().default(null),
});

/** The NewRx content a prescriber may complete or correct on a draft (not whose or from where). */
export const reviseDraftBody = draftPrescriptionBody.omit({ prescriptionId: true, patientId: true, visitId: true, renewalOf: true });

@Controller('v1/prescriptions')
export class DraftPrescriptionController {
  constructor(
    private readonly commands: Commands,
    private readonly access: PrescriptionAccess,
  ) {}

  /** Drafts a NewRx for the calling prescriber (from a visit's prescription intent or directly). */
  @Post()
  @HttpCode(201)
  @Roles('provider')
  async draft(@CurrentActor() actor: AuthenticatedActor, @Req() request: Request, @Body() body: unknown) {
    const data = parseBody(draftPrescriptionBody, body);
    const command: DraftPrescription = {
      type: 'DraftPrescription',
      data: { ...data, prescriber: { providerId: actor.id, npi: data.prescriber.npi, deaNumber: data.prescriber.deaNumber || null } },
      metadata: commandMetadata(actor, request),
    };
    const result = await this.commands.run(prescriptionStreamId(data.prescriptionId), prescriptionDecider, command);
    return { prescriptionId: data.prescriptionId, status: result.state.status };
  }

  /** Completes or corrects a draft (e.g. one drafted from a visit's prescription intent); checks run again after. */
  @Put(':prescriptionId')
  @HttpCode(200)
  @Roles('provider')
  async revise(
    @CurrentActor() actor: AuthenticatedActor,
    @Req() request: Request,
    @Param('prescriptionId', ParseUUIDPipe) prescriptionId: string,
    @Body() body: unknown,
  ) {
    const data = parseBody(reviseDraftBody, body);
    await this.access.requireHolder(actor, prescriptionId);
    const command: ReviseDraft = {
      type: 'ReviseDraft',
      data: { ...data, prescriber: { npi: data.prescriber.npi, deaNumber: data.prescriber.deaNumber || null } },
      metadata: commandMetadata(actor, request),
    };
    const result = await this.commands.run(prescriptionStreamId(prescriptionId), prescriptionDecider, command);
    return { prescriptionId, status: result.state.status };
  }
}
