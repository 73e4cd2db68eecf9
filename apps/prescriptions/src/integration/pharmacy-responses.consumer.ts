import { PharmacyMessageReceived } from '@carebridge/contracts';
import { handle } from '@carebridge/event-store';
import { on, type HandlerBinding } from '@carebridge/messaging';
import { RuleViolation } from '@carebridge/shared-kernel';
import { prescriptionDecider } from '../prescription/prescription.decider';
import { prescriptionStreamId } from '../prescription/prescription.stream';

/**
 * Pharmacy answers arriving on the inbound topic become RecordPharmacyMessage commands, once
 * per CloudEvent id (the inbox, and the id as commandId). A message about a prescription that
 * was not routed to the sending pharmacy is refused (dead letter at once).
 */
export const pharmacyResponseHandlers: readonly HandlerBinding<any>[] = [
  on(PharmacyMessageReceived, async (event, { store }) => {
    if (!store) throw new Error('pharmacy response consumer needs storeSchema');
    const streamId = prescriptionStreamId(event.data.prescriptionId);
    const routed = (await store.readStream(streamId)).find((e) => e.type === 'PrescriptionTransmitted');
    if (!routed) {
      // A pharmacy learns of a prescription only from the NewRx we publish after storing the
      // transmission, so an answer about one we have not transmitted cannot be early: refused.
      throw new RuleViolation('PRESCRIPTION.NOT_TRANSMITTED', 'No transmitted prescription with this id', {}, 'rule');
    }
    if ((routed.data as { pharmacyNcpdpId: string }).pharmacyNcpdpId !== event.data.pharmacyNcpdpId) {
      throw new RuleViolation('PRESCRIPTION.NOT_ROUTED_TO_PHARMACY', 'This prescription was not sent to this pharmacy', {}, 'forbidden');
    }
    await handle(store, streamId, prescriptionDecider, {
      type: 'RecordPharmacyMessage',
      data: event.data.message,
      metadata: {
        now: new Date(event.time),
        actor: { id: `ncpdp:${event.data.pharmacyNcpdpId}`, role: 'pharmacy' },
        correlationId: event.correlationid,
        causationId: event.id,
        commandId: event.id,
        purpose: 'treatment',
        ...(event.traceparent !== undefined && { traceparent: event.traceparent }),
      },
    });
  }),
];
