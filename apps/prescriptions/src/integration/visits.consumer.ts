import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PrescriptionIntended } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { IntegrationEventContext, IntegrationEventHandler, type ReceivedEvent } from '@carebridge/messaging';
import { prescriptionDecider, type DraftPrescription } from '../prescription/prescription.decider';
import type { PrescriptionDraftedData } from '../prescription/prescription.events';
import { prescriptionStreamId } from '../prescription/prescription.stream';

/**
 * A visit's prescription intent -> the draft the prescriber completes (issue 5: "drafted from a
 * visit's prescription intent"). What the event does not carry stays empty for the prescriber to
 * fill in with PUT /v1/prescriptions/{id} (NPI, DEA number, strength, dose form, ingredients,
 * DEA schedule, and the sig: the visit keeps its free text off Kafka); the NewRx rule runs again
 * before the checks, so an incomplete draft cannot be checked, signed or transmitted.
 */
export function draftFromIntent(intent: typeof PrescriptionIntended.Data): PrescriptionDraftedData {
  return {
    prescriptionId: intent.intentId,
    patientId: intent.patientId,
    visitId: intent.visitId,
    prescriber: { providerId: intent.prescriberId, npi: '', deaNumber: null },
    medication: {
      rxnormCode: intent.rxnormCode,
      name: intent.medicationName ?? '',
      strength: '',
      doseForm: '',
      ingredientRxcuis: [],
      deaSchedule: null,
    },
    sig: '',
    quantity: { value: intent.quantity.value, unit: intent.quantity.unit },
    daysSupply: intent.daysSupply,
    refills: intent.refills,
    substitutionAllowed: true,
    noteToPharmacist: null,
    // The visit was by video or phone; no prior in-person evaluation is known from it.
    encounter: {
      modality: intent.encounterModality,
      priorInPersonEvaluation: false,
      indication: null,
      ...(intent.patientLocationState !== undefined && { patientLocationState: intent.patientLocationState }),
    },
    renewalOf: null,
  };
}

/** commandId of the draft: the same intent delivered again (or republished) appends nothing. */
export const visitIntentCommandId = (intentId: string): string => `visit-intent:${intentId}`;

/** visits' prescription intents -> drafts; writes go through `ctx.store`, the inbox's transaction. */
@Controller()
export class VisitIntentsConsumer {
  @IntegrationEventHandler(PrescriptionIntended)
  async prescriptionIntended(@Payload() event: ReceivedEvent<typeof PrescriptionIntended.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const command: DraftPrescription = {
      type: 'DraftPrescription',
      data: draftFromIntent(event.data),
      metadata: {
        now: new Date(event.time),
        actor: { id: 'visits', role: 'system' },
        correlationId: event.correlationid,
        causationId: event.id,
        commandId: visitIntentCommandId(event.data.intentId),
        purpose: 'treatment',
        ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
      },
    };
    await handle(ctx.store, prescriptionStreamId(event.data.intentId), prescriptionDecider, command);
  }
}
