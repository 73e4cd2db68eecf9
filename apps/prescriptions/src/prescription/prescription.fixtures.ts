import type { CommandMetadata } from '@carebridge/shared-kernel';
import type { EpcsCredential } from './epcs-signing.rules';
import type { PrescriptionDraftedData, PrescriptionEvent, RecordSignature, ScriptDelivery } from './prescription.events';
import { signedNewRxContent } from './record-signature.rules';

/** Shared test data for the decider specs (not imported by production code). */
export const ids = {
  prescription: '6f1c1f64-0d8b-4b7e-9a57-0a3b5f3c0001',
  patient: '6f1c1f64-0d8b-4b7e-9a57-0a3b5f3c0002',
  prescriber: '6f1c1f64-0d8b-4b7e-9a57-0a3b5f3c0003',
  otherProvider: '6f1c1f64-0d8b-4b7e-9a57-0a3b5f3c0004',
  pharmacy: '6f1c1f64-0d8b-4b7e-9a57-0a3b5f3c0005',
  activeRx: '6f1c1f64-0d8b-4b7e-9a57-0a3b5f3c0006',
};

/** CMS's published example NPI (valid check digit) and a DEA number with a valid check digit. */
export const NPI = '1234567893';
export const DEA = 'AB1234563';

export const flexibilityDate = new Date('2026-11-22T15:00:00Z');
export const after2026 = new Date('2027-02-01T15:00:00Z');

export function meta(
  role: CommandMetadata['actor']['role'] = 'provider',
  id: string = ids.prescriber,
  now: Date = flexibilityDate,
): CommandMetadata {
  // A patient acts as the patient of the patient_id claim (AuthenticatedActor.patientId).
  return { now, actor: { id, role, ...(role === 'patient' && { patientId: id }) }, correlationId: 'corr-1', commandId: 'cmd-1' };
}

export const amoxicillin: PrescriptionDraftedData = {
  prescriptionId: ids.prescription,
  patientId: ids.patient,
  visitId: null,
  prescriber: { providerId: ids.prescriber, npi: NPI, deaNumber: null },
  medication: {
    rxnormCode: '308191',
    name: 'amoxicillin 500 MG Oral Capsule',
    strength: '500 mg',
    doseForm: 'capsule',
    ingredientRxcuis: ['723'],
    deaSchedule: null,
  },
  sig: 'Take 1 capsule by mouth three times daily for 10 days',
  quantity: { value: 30, unit: 'capsule' },
  daysSupply: 10,
  refills: 0,
  substitutionAllowed: true,
  noteToPharmacist: null,
  encounter: { modality: 'audio-video', priorInPersonEvaluation: false, indication: null },
  renewalOf: null,
};

export const oxycodone: PrescriptionDraftedData = {
  ...amoxicillin,
  prescriber: { providerId: ids.prescriber, npi: NPI, deaNumber: DEA },
  medication: {
    rxnormCode: '1049621',
    name: 'oxycodone hydrochloride 5 MG Oral Tablet',
    strength: '5 mg',
    doseForm: 'tablet',
    ingredientRxcuis: ['7804'],
    deaSchedule: 'II',
  },
  sig: 'Take 1 tablet by mouth every 6 hours as needed for pain',
  quantity: { value: 12, unit: 'tablet' },
  daysSupply: 3,
  // The patient is in Illinois, where the prescriber's DEA registration is.
  encounter: { modality: 'audio-video', priorInPersonEvaluation: false, indication: null, patientLocationState: 'IL' },
};

export const buprenorphine: PrescriptionDraftedData = {
  ...oxycodone,
  medication: {
    rxnormCode: '351264',
    name: 'buprenorphine 8 MG / naloxone 2 MG Sublingual Tablet',
    strength: '8 mg / 2 mg',
    doseForm: 'sublingual tablet',
    ingredientRxcuis: ['1819', '7242'],
    deaSchedule: 'III',
  },
  encounter: { modality: 'audio-only', priorInPersonEvaluation: false, indication: 'opioid-use-disorder', patientLocationState: 'IL' },
  daysSupply: 30,
};

export const drafted = (data: PrescriptionDraftedData = amoxicillin): PrescriptionEvent => ({ type: 'PrescriptionDrafted', data });
export const checked = (findings: Extract<PrescriptionEvent, { type: 'PrescriptionChecked' }>['data']['findings'] = []): PrescriptionEvent => ({
  type: 'PrescriptionChecked',
  data: { prescriptionId: ids.prescription, findings, interactionTableVersion: 'carebridge-ddi-2026-11-22' },
});
export const pharmacy = { pharmacyId: ids.pharmacy, ncpdpId: '1234567', acceptsEPrescribing: true };
/** A stand-in for the adapter's ES256 signature: the decider checks only what content it covers. */
export const recordSignature: RecordSignature = {
  format: 'carebridge.newrx+jcs.v1',
  algorithm: 'ES256',
  keyId: 'test-key',
  digest: { algorithm: 'SHA-256', value: '00' },
  signature: 'c2ln',
};
export const signatureOf = (rx: PrescriptionDraftedData, at: Date = flexibilityDate, signedBy: string = ids.prescriber) => ({
  signedContent: signedNewRxContent(rx, at.toISOString(), signedBy),
  signature: recordSignature,
});

/** A prescriber identity-proofed at IAL2, granted EPCS access by two people, DEA-registered for II-V until 2027-12-31. */
export const epcsCredential: EpcsCredential = {
  identityProofing: {
    providerId: ids.prescriber,
    credentialServiceProvider: 'Example CSP',
    assuranceLevel: 'IAL2',
    proofedOn: '2026-10-01',
    reference: 'csp-proof-1',
  },
  accessGrant: {
    approvals: [
      { approverId: 'ops-1', approverRole: 'ops', approverDeaNumber: null, approvedAt: '2026-10-02T10:00:00.000Z' },
      { approverId: ids.otherProvider, approverRole: 'provider', approverDeaNumber: 'BC2345672', approvedAt: '2026-10-02T11:00:00.000Z' },
    ],
    grantedAt: '2026-10-02T11:00:00.000Z',
  },
  deaRegistrations: [{ providerId: ids.prescriber, deaNumber: DEA, schedules: ['II', 'III', 'IV', 'V'], state: 'IL', expiresOn: '2027-12-31' }],
};

export const signedAndTransmitted = (at = flexibilityDate, rx: PrescriptionDraftedData = amoxicillin): PrescriptionEvent[] => [
  {
    type: 'PrescriptionSigned',
    data: { prescriptionId: ids.prescription, signedBy: ids.prescriber, signedAt: at.toISOString(), overrides: [], controlledSubstance: null, recordSignature },
  },
  {
    type: 'PrescriptionTransmitted',
    data: { prescriptionId: ids.prescription, pharmacyId: ids.pharmacy, pharmacyNcpdpId: '1234567', transmittedAt: at.toISOString(), newRx: rx },
  },
];
export const dispensed: PrescriptionEvent = {
  type: 'PrescriptionFillReported',
  data: {
    prescriptionId: ids.prescription,
    patientId: ids.patient,
    rxnormCode: amoxicillin.medication.rxnormCode,
    daysSupply: amoxicillin.daysSupply,
    messageId: 'fill-1',
    fillStatus: 'dispensed',
    quantityDispensed: 30,
    filledAt: flexibilityDate.toISOString(),
    reason: null,
  },
};

/** The parties of the SCRIPT messages (synthetic; addresses and numbers invented). */
export const scriptDelivery: ScriptDelivery = {
  version: '2023011',
  patient: {
    lastName: 'Doe',
    firstName: 'Jane',
    gender: 'F',
    dateOfBirth: '1980-02-03',
    address: { line: ['12 Elm St'], city: 'Springfield', state: 'IL', postalCode: '62701' },
    phone: '217-555-0100',
  },
  prescriber: {
    lastName: 'Smith',
    firstName: 'Ann',
    address: { line: ['1 Clinic Way', 'Suite 200'], city: 'Chicago', state: 'IL', postalCode: '60601-1234' },
    phone: '(312) 555-0101',
    fax: '312-555-0102',
  },
  pharmacy: { name: 'Main Street Pharmacy', npi: '1234567893', address: { line: ['5 Main St'], city: 'Springfield', state: 'IL', postalCode: '62702' }, phone: '217-555-0199' },
};
