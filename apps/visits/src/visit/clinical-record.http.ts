import { Body, Controller, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { z } from 'zod';
import { type EventStore, handle } from '@carebridge/event-store';
import { type AuthenticatedActor, CurrentActor, Roles, parseBody } from '@carebridge/platform';
import type { Clock } from '../clock.port';
import { commandMetadata, requireIdempotencyKey } from '../visits.http-support';
import { CLOCK, EVENT_STORE } from '../visits.tokens';
import { derivedUuid, visitStreamId } from './visit.stream';
import { participantVisit, providerIdOf } from './visit.access';
import { type VisitCommand, visitDecider } from './visit.decider';
import type { SymptomsReviewed } from './visit.events';
import { SYMPTOM_CODES } from '@carebridge/clinical-reference';

const quantity = z.strictObject({ value: z.number(), unit: z.string().min(1).max(20) });
export const vitalsBody = z.strictObject({
  measuredAt: z.iso.datetime({ offset: true }),
  temperature: quantity.optional(),
  bloodPressure: z.strictObject({ systolic: z.number(), diastolic: z.number(), unit: z.string().min(1).max(20) }).optional(),
  heartRate: quantity.optional(),
  spo2: quantity.optional(),
  weight: quantity.optional(),
});
export const symptomsBody = z.strictObject({
  symptoms: z.array(z.enum(SYMPTOM_CODES as [string, ...string[]])).max(30),
  history: z.string().max(20_000).default(''),
});
const section = z.string().max(20_000).default('');
export const noteBody = z.strictObject({ subjective: section, objective: section, assessment: section, plan: section });
/** ICD-10-CM: a letter (not U), a digit, a digit or A/B, then optionally a dot and 1-4 characters. */
export const icd10cm = z.string().regex(/^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/, 'must be an ICD-10-CM code, e.g. J06.9');
export const diagnosisBody = z.strictObject({ code: icd10cm, display: z.string().min(1).max(300) });
export const orderBody = z.strictObject({
  category: z.enum(['lab', 'imaging', 'other']),
  /** LOINC for labs, CPT or a local code otherwise. */
  code: z.string().regex(/^[A-Za-z0-9.-]{1,20}$/),
  display: z.string().min(1).max(300),
});

/** History and symptoms, home vitals, the SOAP note, diagnoses and orders. */
@Controller('v1/visits/:visitId')
export class ClinicalRecordController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async run(visitId: string, actor: AuthenticatedActor, command: Omit<VisitCommand, 'metadata'>, commandId?: string) {
    await participantVisit(this.store, visitId, actor);
    const result = await handle(this.store, visitStreamId(visitId), visitDecider, {
      ...command,
      metadata: commandMetadata(actor, this.clock.now(), commandId === undefined ? {} : { commandId }),
    } as VisitCommand);
    return result;
  }

  /** Symptoms reviewed by the provider; red flags in them escalate to emergency care at once (intake rules). */
  @Put('symptoms')
  @Roles('provider')
  async symptoms(@Param('visitId', ParseUUIDPipe) visitId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const b = parseBody(symptomsBody, body);
    const result = await this.run(visitId, actor, { type: 'ReviewSymptoms', data: { providerId: providerIdOf(actor), symptoms: b.symptoms, history: b.history } });
    const escalated = result.newEvents.find((e) => e.type === 'EmergencyEscalated');
    const reviewed = result.newEvents.find((e) => e.type === 'SymptomsReviewed')?.data as SymptomsReviewed['data'] | undefined;
    return {
      visitId,
      status: result.state.status,
      ...(reviewed?.triage !== undefined && { triage: reviewed.triage }),
      ...(escalated && { emergency: escalated.data }),
    };
  }

  /** Vitals the patient measured at home (or the provider read out): ranges and units checked (422 names the field and range). */
  @Post('vitals')
  @Roles('patient', 'provider')
  async vitals(
    @Param('visitId', ParseUUIDPipe) visitId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const commandId = requireIdempotencyKey(key, actor);
    const { measuredAt, ...vitals } = parseBody(vitalsBody, body);
    const vitalsId = derivedUuid(`vitals:${visitId}`, commandId);
    await this.run(
      visitId,
      actor,
      { type: 'RecordVitals', data: { vitalsId, measuredAt: new Date(measuredAt).toISOString(), recordedBy: actor.role === 'patient' ? 'patient' : 'provider', vitals } },
      commandId,
    );
    return { visitId, vitalsId };
  }

  @Put('note')
  @Roles('provider')
  async note(@Param('visitId', ParseUUIDPipe) visitId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const note = parseBody(noteBody, body);
    await this.run(visitId, actor, { type: 'WriteNote', data: { providerId: providerIdOf(actor), note } });
    return { visitId, note };
  }

  @Post('diagnoses')
  @Roles('provider')
  async diagnosis(@Param('visitId', ParseUUIDPipe) visitId: string, @Body() body: unknown, @CurrentActor() actor: AuthenticatedActor) {
    const b = parseBody(diagnosisBody, body);
    const result = await this.run(visitId, actor, { type: 'RecordDiagnosis', data: { providerId: providerIdOf(actor), ...b } });
    return { visitId, diagnoses: result.state.status === 'none' ? [] : result.state.record.diagnoses };
  }

  @Post('orders')
  @HttpCode(201)
  @Roles('provider')
  async order(
    @Param('visitId', ParseUUIDPipe) visitId: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: AuthenticatedActor,
  ) {
    const commandId = requireIdempotencyKey(key, actor);
    const b = parseBody(orderBody, body);
    const orderId = derivedUuid(`order:${visitId}`, commandId);
    await this.run(visitId, actor, { type: 'PlaceOrder', data: { providerId: providerIdOf(actor), orderId, ...b } }, commandId);
    return { visitId, orderId, ...b };
  }
}
