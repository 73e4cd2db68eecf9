import { z } from 'zod';
import { defineIntegrationEvent } from '../integration-event';

/**
 * What the prescriptions service says to pharmacies and what pharmacies answer. Outbound
 * messages go on one topic keyed by the pharmacy's NCPDP Provider ID, so each pharmacy system
 * reads only its own key. Minimum necessary PHI: ids and codes; the pharmacy reads the full
 * prescription (sig, note) from GET /v1/prescriptions/{id}, scoped and audited.
 * Field names follow NCPDP SCRIPT (DrugCoded, Quantity, DaysSupply, NumberOfRefills, Substitutions).
 */
export const PHARMACY_TOPIC = 'carebridge.prescriptions.pharmacy.v1';
/** Pharmacies' answers (Status, Verify, Error, RxFill, RxChangeRequest, CancelRxResponse, RxRenewalRequest). */
export const PHARMACY_RESPONSE_TOPIC = 'carebridge.prescriptions.pharmacy-response.v1';
/** Lifecycle facts for other services (adherence signal), keyed by prescription id. */
export const PRESCRIPTION_TOPIC = 'carebridge.prescriptions.prescription.v1';

const ncpdpId = z.string().regex(/^\d{7}$/);
const rxcui = z.string().regex(/^\d{1,10}$/);

export const NewRxTransmitted = defineIntegrationEvent({
  context: 'prescriptions',
  name: 'NewRxTransmitted',
  version: 1,
  topic: PHARMACY_TOPIC,
  schema: z.object({
    prescriptionId: z.uuid(),
    pharmacyNcpdpId: ncpdpId,
    patientId: z.uuid(),
    prescriber: z.object({ providerId: z.string().min(1), npi: z.string().regex(/^\d{10}$/), deaNumber: z.string().nullable() }),
    drugCoded: z.object({ productCode: rxcui, productCodeQualifier: z.literal('RxNorm'), deaSchedule: z.enum(['II', 'III', 'IV', 'V']).nullable() }),
    quantity: z.object({ value: z.number().positive(), unitOfMeasure: z.string().min(1) }),
    daysSupply: z.number().int().positive(),
    numberOfRefills: z.number().int().nonnegative(),
    /** NCPDP Substitutions: 0 = substitution allowed, 1 = substitution not allowed by prescriber. */
    substitutions: z.enum(['0', '1']),
    writtenDate: z.iso.datetime(),
  }),
  partitionKey: (d) => d.pharmacyNcpdpId,
  subject: (d) => d.prescriptionId,
  description: 'A signed prescription sent to a pharmacy (NCPDP SCRIPT NewRx, ids and codes).',
});

export const CancelRxSent = defineIntegrationEvent({
  context: 'prescriptions',
  name: 'CancelRxSent',
  version: 1,
  topic: PHARMACY_TOPIC,
  schema: z.object({ prescriptionId: z.uuid(), pharmacyNcpdpId: ncpdpId }),
  partitionKey: (d) => d.pharmacyNcpdpId,
  subject: (d) => d.prescriptionId,
  description: 'The prescriber asks the pharmacy to cancel (NCPDP SCRIPT CancelRx); the pharmacy answers CancelRxResponse.',
});

export const RxRenewalResponseSent = defineIntegrationEvent({
  context: 'prescriptions',
  name: 'RxRenewalResponseSent',
  version: 1,
  topic: PHARMACY_TOPIC,
  schema: z.object({
    prescriptionId: z.uuid(),
    pharmacyNcpdpId: ncpdpId,
    renewalRequestId: z.string().min(1),
    decision: z.enum(['approved', 'approved-with-changes', 'denied']),
    refillsAuthorized: z.number().int().nonnegative(),
    replacementPrescriptionId: z.uuid().nullable(),
  }),
  partitionKey: (d) => d.pharmacyNcpdpId,
  subject: (d) => d.prescriptionId,
  description: 'The prescriber answered a renewal request (NCPDP SCRIPT RxRenewalResponse).',
});

export const RxChangeResponseSent = defineIntegrationEvent({
  context: 'prescriptions',
  name: 'RxChangeResponseSent',
  version: 1,
  topic: PHARMACY_TOPIC,
  schema: z.object({
    prescriptionId: z.uuid(),
    pharmacyNcpdpId: ncpdpId,
    changeRequestId: z.string().min(1),
    decision: z.enum(['approved', 'denied']),
  }),
  partitionKey: (d) => d.pharmacyNcpdpId,
  subject: (d) => d.prescriptionId,
  description: 'The prescriber answered a pharmacy change request (NCPDP SCRIPT RxChangeResponse).',
});

export const PrescriptionFillRecorded = defineIntegrationEvent({
  context: 'prescriptions',
  name: 'PrescriptionFillRecorded',
  version: 1,
  topic: PRESCRIPTION_TOPIC,
  schema: z.object({
    prescriptionId: z.uuid(),
    patientId: z.uuid(),
    rxnormCode: rxcui,
    fillStatus: z.enum(['dispensed', 'partially-dispensed', 'not-dispensed', 'transferred']),
    quantityDispensed: z.number().nonnegative().nullable(),
    daysSupply: z.number().int().positive(),
    filledAt: z.iso.datetime(),
  }),
  partitionKey: (d) => d.prescriptionId,
  description: 'A pharmacy reported a fill: the adherence signal monitoring follows.',
});

const messageId = z.string().min(1).max(100);
const shortText = z.string().max(500).nullable();

export const PharmacyMessageReceived = defineIntegrationEvent({
  context: 'prescriptions',
  name: 'PharmacyMessageReceived',
  version: 1,
  topic: PHARMACY_RESPONSE_TOPIC,
  schema: z.object({
    prescriptionId: z.uuid(),
    pharmacyNcpdpId: ncpdpId,
    message: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('Status'), messageId }),
      z.object({ kind: z.literal('Verify'), messageId }),
      z.object({ kind: z.literal('Error'), messageId, code: z.string().min(1).max(10), description: z.string().max(500) }),
      z.object({
        kind: z.literal('RxFill'),
        messageId,
        fillStatus: z.enum(['dispensed', 'partially-dispensed', 'not-dispensed', 'transferred']),
        quantityDispensed: z.number().nonnegative().nullable(),
        reason: shortText,
      }),
      z.object({
        kind: z.literal('RxChangeRequest'),
        messageId,
        changeType: z.enum(['generic-substitution', 'prior-authorization', 'clarification']),
        detail: z.string().max(500),
      }),
      z.object({ kind: z.literal('CancelRxResponse'), messageId, approved: z.boolean(), reason: shortText }),
      z.object({ kind: z.literal('RxRenewalRequest'), messageId, note: shortText }),
    ]),
  }),
  partitionKey: (d) => d.prescriptionId,
  description: 'A pharmacy system answers about a prescription routed to it (NCPDP SCRIPT responses).',
});
