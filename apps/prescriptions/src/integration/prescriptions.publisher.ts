import { CancelRxSent, NewRxTransmitted, PrescriptionFillRecorded, RxChangeResponseSent, RxRenewalResponseSent } from '@carebridge/contracts';
import type { RecordedEvent } from '@carebridge/event-store';
import { publish, type EventPublisher } from '@carebridge/messaging';
import type { PrescriptionEvent } from '../prescription/prescription.events';

/** Our private prescription events -> the pharmacy topic (keyed by NCPDP id) and the adherence signal. */
export const prescriptionsPublisher: EventPublisher = (recorded: RecordedEvent) => {
  if (!recorded.streamId.startsWith('prescription-')) return [];
  const event = recorded as unknown as PrescriptionEvent;
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
