import type { DefinedIntegrationEvent } from '../integration-event';
import {
  CancelRxSent,
  NewRxTransmitted,
  PharmacyMessageReceived,
  PrescriptionFillRecorded,
  RxChangeResponseSent,
  RxRenewalResponseSent,
} from './pharmacy-messages';
import { PharmacyScriptReceived } from './script-messages';

export * from './pharmacy-messages';
export * from './script-messages';

/** Integration events published by the prescriptions service (and the pharmacies' answers it consumes). */
export const prescriptionsEvents: readonly DefinedIntegrationEvent<any>[] = [
  NewRxTransmitted,
  CancelRxSent,
  RxRenewalResponseSent,
  RxChangeResponseSent,
  PrescriptionFillRecorded,
  PharmacyMessageReceived,
  PharmacyScriptReceived,
];
