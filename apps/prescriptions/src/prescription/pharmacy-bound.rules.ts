import { renderMedicationPrescribed, renderNewRx, renderParties, type ScriptEnvelope } from './newrx-script.rules';
import type { PrescriptionEvent, ScriptContext, ScriptVersion } from './prescription.events';
import { el, message, text } from './script-xml.rules';

/**
 * Every pharmacy-bound SCRIPT message, rendered from the event that records it: NewRx
 * (PrescriptionTransmitted), CancelRx (CancelRequested), RxRenewalResponse (RenewalResponded),
 * RxChangeResponse (ChangeResponded). Pure: the ids and the time come from the stored event.
 *
 * The response shape Response/Approved|Denied(DenialReason) follows VistA's 2017071
 * CancelRxResponse builder (PSOERXO1, [S2] in script-xml.rules.ts); that RxRenewalResponse and
 * RxChangeResponse use the same Response block before the parties, and that CancelRx repeats the
 * parties and MedicationPrescribed of the NewRx, are VERIFY items (README).
 */
export type PharmacyBoundName = 'NewRx' | 'CancelRx' | 'RxRenewalResponse' | 'RxChangeResponse';

export interface PharmacyBoundMessage {
  readonly name: PharmacyBoundName;
  readonly version: ScriptVersion;
  readonly pharmacyNcpdpId: string;
  readonly prescriptionId: string;
  readonly xml: string;
}

/** The stored event's identity: its id is the MessageID (unique, and the same on every republish). */
export interface StoredEventIds {
  readonly eventId: string;
  readonly occurredAt: string;
}

/** The message a stored event sends to the pharmacy; null for events that send none, or recorded before SCRIPT XML. */
export function pharmacyBoundMessage(event: PrescriptionEvent, stored: StoredEventIds): PharmacyBoundMessage | null {
  switch (event.type) {
    case 'PrescriptionTransmitted': {
      const d = event.data;
      if (d.script === undefined) return null;
      const envelope: ScriptEnvelope = {
        messageId: stored.eventId,
        sentAt: stored.occurredAt,
        pharmacyNcpdpId: d.pharmacyNcpdpId,
        delivery: d.script,
        digitallySigned: d.digitallySigned === true,
      };
      return { name: 'NewRx', version: d.script.version, pharmacyNcpdpId: d.pharmacyNcpdpId, prescriptionId: d.prescriptionId, xml: renderNewRx(d.newRx, envelope) };
    }
    case 'CancelRequested':
      return event.data.script ? followUp('CancelRx', event.data.script, event.data.pharmacyNcpdpId, stored, undefined, '') : null;
    case 'RenewalResponded': {
      const d = event.data;
      if (!d.script) return null;
      const response =
        d.decision === 'denied'
          ? el('Denied', text('DenialReason', d.reason))
          : d.decision === 'approved-with-changes'
            ? el('ApprovedWithChanges', text('Note', `Replaced by prescription ${d.replacementPrescriptionId ?? ''}`.trim()))
            : el('Approved', text('Note', `${d.refillsAuthorized} refills authorized`));
      // The refills the prescriber authorised travel in MedicationPrescribed.NumberOfRefills.
      const script = d.decision === 'approved' ? { ...d.script, rx: { ...d.script.rx, refills: d.refillsAuthorized } } : d.script;
      return followUp('RxRenewalResponse', script, d.pharmacyNcpdpId, stored, d.renewalRequestId, el('Response', response));
    }
    case 'ChangeResponded': {
      const d = event.data;
      if (!d.script) return null;
      const response = d.decision === 'denied' ? el('Denied', text('DenialReason', d.reason)) : '<Approved/>';
      return followUp('RxChangeResponse', d.script, d.pharmacyNcpdpId, stored, d.changeRequestId, el('Response', response));
    }
    default:
      return null;
  }
}

function followUp(
  name: Exclude<PharmacyBoundName, 'NewRx'>,
  script: ScriptContext,
  pharmacyNcpdpId: string,
  stored: StoredEventIds,
  relatesToMessageId: string | undefined,
  response: string,
): PharmacyBoundMessage {
  const { rx, delivery } = script;
  const envelope: ScriptEnvelope = { messageId: stored.eventId, sentAt: stored.occurredAt, pharmacyNcpdpId, delivery };
  const xml = message(
    delivery.version,
    {
      toNcpdpId: pharmacyNcpdpId,
      fromNpi: rx.prescriber.npi,
      messageId: stored.eventId,
      ...(relatesToMessageId !== undefined && { relatesToMessageId }),
      sentAt: stored.occurredAt,
      prescriberOrderNumber: rx.prescriptionId,
    },
    el(name, response, renderParties(rx, envelope), renderMedicationPrescribed(rx, script.writtenAt)),
  );
  return { name, version: delivery.version, pharmacyNcpdpId, prescriptionId: rx.prescriptionId, xml };
}
