import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { PharmacyMessageReceived, PharmacyScriptReceived } from '@carebridge/contracts';
import { handle, type PostgresEventStore } from '@carebridge/event-store';
import { IntegrationEventContext, IntegrationEventHandler, type ReceivedEvent } from '@carebridge/messaging';
import { RuleViolation } from '@carebridge/shared-kernel';
import type { PharmacyMessage } from '../prescription/pharmacy-messages.rules';
import { prescriptionDecider } from '../prescription/prescription.decider';
import { prescriptionStreamId } from '../prescription/prescription.stream';
import { readInboundScript } from '../prescription/script/inbound-script.mapping';

/**
 * Pharmacy answers arriving on the inbound topic become RecordPharmacyMessage commands, once
 * per CloudEvent id (the inbox, and the id as commandId). A message about a prescription that
 * was not routed to the sending pharmacy is refused (dead letter at once). Answers come as
 * NCPDP SCRIPT XML (PharmacyScriptReceived) or, from pharmacies integrated before it, as JSON
 * (PharmacyMessageReceived); both end in the same command.
 */
@Controller()
export class PharmacyResponsesConsumer {
  @IntegrationEventHandler(PharmacyMessageReceived)
  async pharmacyMessageReceived(@Payload() event: ReceivedEvent<typeof PharmacyMessageReceived.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    await record(ctx.store, event, event.data.prescriptionId, event.data.pharmacyNcpdpId, event.data.message);
  }

  @IntegrationEventHandler(PharmacyScriptReceived)
  async pharmacyScriptReceived(@Payload() event: ReceivedEvent<typeof PharmacyScriptReceived.Data>, @Ctx() ctx: IntegrationEventContext): Promise<void> {
    const { prescriptionId, pharmacyNcpdpId } = event.data;
    // Parse errors (DTD, size, malformed, unknown message) are permanent: dead letter at once.
    const script = readInboundScript(event.data.xml);
    if (script.fromNcpdpId !== undefined && script.fromNcpdpId !== pharmacyNcpdpId) {
      throw new RuleViolation('SCRIPT.SENDER_MISMATCH', 'Header.From is not the pharmacy that sent the event', { field: 'Message.Header.From' }, 'forbidden');
    }
    if (script.prescriberOrderNumber !== undefined && script.prescriberOrderNumber !== prescriptionId) {
      throw new RuleViolation('SCRIPT.PRESCRIPTION_MISMATCH', 'Header.PrescriberOrderNumber names another prescription', { field: 'Message.Header.PrescriberOrderNumber' }, 'invalid');
    }
    await record(ctx.store, event, prescriptionId, pharmacyNcpdpId, script.message);
  }
}

async function record(store: PostgresEventStore, event: ReceivedEvent<unknown>, prescriptionId: string, pharmacyNcpdpId: string, message: PharmacyMessage): Promise<void> {
  const streamId = prescriptionStreamId(prescriptionId);
  const routed = (await store.readStream(streamId)).find((e) => e.type === 'PrescriptionTransmitted');
  if (!routed) {
    // A pharmacy learns of a prescription only from the NewRx we publish after storing the
    // transmission, so an answer about one we have not transmitted cannot be early: refused.
    throw new RuleViolation('PRESCRIPTION.NOT_TRANSMITTED', 'No transmitted prescription with this id', {}, 'rule');
  }
  if ((routed.data as { pharmacyNcpdpId: string }).pharmacyNcpdpId !== pharmacyNcpdpId) {
    throw new RuleViolation('PRESCRIPTION.NOT_ROUTED_TO_PHARMACY', 'This prescription was not sent to this pharmacy', {}, 'forbidden');
  }
  await handle(store, streamId, prescriptionDecider, {
    type: 'RecordPharmacyMessage',
    data: message,
    metadata: {
      now: new Date(event.time),
      actor: { id: `ncpdp:${pharmacyNcpdpId}`, role: 'pharmacy' },
      correlationId: event.correlationid,
      causationId: event.id,
      commandId: event.id,
      purpose: 'treatment',
      ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
    },
  });
}
