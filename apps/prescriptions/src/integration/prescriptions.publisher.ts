import { CancelRxSent, NewRxTransmitted, PrescriptionFillRecorded, RxChangeResponseSent, RxRenewalResponseSent, toScriptKafkaRecord } from '@carebridge/contracts';
import type { RecordedEvent } from '@carebridge/event-store';
import { envelopeFor, publish, type EventPublisher } from '@carebridge/messaging';
import type { PrescriptionEvent } from '../prescription/prescription.events';
import { pharmacyBoundMessage } from '../prescription/pharmacy-bound.rules';

/**
 * Our private prescription events -> the pharmacy topic (keyed by NCPDP id) and the adherence
 * signal. A pharmacy-bound message goes as its NCPDP SCRIPT XML (binary-mode CloudEvent,
 * application/xml) in the version chosen at transmission; events recorded before SCRIPT XML
 * (no parties recorded) are published as the JSON events of version 1, as they were.
 */
export const prescriptionsPublisher: EventPublisher = (recorded: RecordedEvent) => {
  if (!recorded.streamId.startsWith('prescription-')) return [];
  const event = recorded as unknown as PrescriptionEvent;
  const script = pharmacyBoundMessage(event, { eventId: recorded.eventId, occurredAt: recorded.metadata.occurredAt });
  if (script !== null) {
    const { name, version, xml, pharmacyNcpdpId, prescriptionId } = script;
    return [toScriptKafkaRecord({ message: name, scriptVersion: version, xml, pharmacyNcpdpId, prescriptionId }, envelopeFor(recorded))];
  }
  switch (event.type) {
    case 'PrescriptionTransmitted': {
      const rx = event.data.newRx;
      return [
        publish(
          NewRxTransmitted,
          {
            prescriptionId: event.data.prescriptionId,
            pharmacyNcpdpId: event.data.pharmacyNcpdpId,
            patientId: rx.patientId,
            prescriber: { providerId: rx.prescriber.providerId, npi: rx.prescriber.npi, deaNumber: rx.prescriber.deaNumber },
            drugCoded: { productCode: rx.medication.rxnormCode, productCodeQualifier: 'RxNorm' as const, deaSchedule: rx.medication.deaSchedule },
            quantity: { value: rx.quantity.value, unitOfMeasure: rx.quantity.unit },
            daysSupply: rx.daysSupply,
            numberOfRefills: rx.refills,
            substitutions: rx.substitutionAllowed ? ('0' as const) : ('1' as const),
            writtenDate: event.data.transmittedAt,
          },
          recorded,
        ),
      ];
    }
    case 'CancelRequested':
      return [publish(CancelRxSent, { prescriptionId: event.data.prescriptionId, pharmacyNcpdpId: event.data.pharmacyNcpdpId }, recorded)];
    case 'RenewalResponded':
      return [
        publish(
          RxRenewalResponseSent,
          {
            prescriptionId: event.data.prescriptionId,
            pharmacyNcpdpId: event.data.pharmacyNcpdpId,
            renewalRequestId: event.data.renewalRequestId,
            decision: event.data.decision,
            refillsAuthorized: event.data.refillsAuthorized,
            replacementPrescriptionId: event.data.replacementPrescriptionId,
          },
          recorded,
        ),
      ];
    case 'ChangeResponded':
      return [
        publish(
          RxChangeResponseSent,
          {
            prescriptionId: event.data.prescriptionId,
            pharmacyNcpdpId: event.data.pharmacyNcpdpId,
            changeRequestId: event.data.changeRequestId,
            decision: event.data.decision,
          },
          recorded,
        ),
      ];
    case 'PrescriptionFillReported':
      return [
        publish(
          PrescriptionFillRecorded,
          {
            prescriptionId: event.data.prescriptionId,
            patientId: event.data.patientId,
            rxnormCode: event.data.rxnormCode,
            fillStatus: event.data.fillStatus,
            quantityDispensed: event.data.quantityDispensed,
            daysSupply: event.data.daysSupply,
            filledAt: event.data.filledAt,
          },
          recorded,
        ),
      ];
    case 'PrescriptionDrafted':
    case 'PrescriptionDraftRevised':
    case 'PrescriptionChecked':
    case 'PrescriptionSigned':
    case 'PharmacyAcknowledged':
    case 'PharmacyErrorReported':
    case 'ChangeRequested':
    case 'RenewalRequested':
    case 'CancelResponded':
    case 'PrescriptionCancelled':
      return [];
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
};
