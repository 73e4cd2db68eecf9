import type { MonitoredPatient } from '../enrolment/monitored-patients.projection';
import type { Reading } from '../readings/readings.projection';
import { US_CORE_BLOOD_PRESSURE, VITAL_SIGNS } from './monitoring.fhir-server';
import { LOINC_DIASTOLIC, LOINC_SYSTOLIC } from '../readings/reading.rules';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const CAREBRIDGE = 'https://carebridge.example/fhir/CodeSystem/monitoring';

/** FHIR R4 vital-signs profiles (http://hl7.org/fhir/R4/observation-vitalsigns.html) by reading kind; US Core 5.0.1 for blood pressure. */
const PROFILE: Partial<Record<Reading['kind'], string>> = {
  'blood-pressure': US_CORE_BLOOD_PRESSURE,
  'heart-rate': 'http://hl7.org/fhir/StructureDefinition/heartrate',
  spo2: 'http://hl7.org/fhir/StructureDefinition/oxygensat',
  'body-weight': 'http://hl7.org/fhir/StructureDefinition/bodyweight',
  'body-temperature': 'http://hl7.org/fhir/StructureDefinition/bodytemp',
};

const DISPLAY: Record<Reading['kind'], string> = {
  'blood-pressure': 'Blood pressure panel with all children optional',
  'heart-rate': 'Heart rate',
  spo2: 'Oxygen saturation in Arterial blood by Pulse oximetry',
  'blood-glucose': 'Glucose [Mass/volume] in Blood',
  'body-weight': 'Body weight',
  'body-temperature': 'Body temperature',
  'medication-intake': 'Medication dose taken',
};

const quantity = (value: number, unit: string) => ({ value, unit, system: UCUM, code: unit });

export function toObservation(reading: Reading) {
  const profile = PROFILE[reading.kind];
  const category = profile ? 'vital-signs' : reading.kind === 'blood-glucose' ? 'laboratory' : 'activity';
  const code =
    reading.kind === 'medication-intake'
      ? { coding: [{ system: CAREBRIDGE, code: 'medication-intake', display: DISPLAY[reading.kind] }], text: DISPLAY[reading.kind] }
      : {
          coding: [
            // The oxygensat profile requires the general SpO2 code 2708-6 next to the pulse-oximetry one (http://hl7.org/fhir/R4/oxygensat.html).
            ...(reading.kind === 'spo2' ? [{ system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' }] : []),
            { system: LOINC, code: reading.loinc, display: DISPLAY[reading.kind] },
          ],
          text: DISPLAY[reading.kind],
        };
  return {
    resourceType: 'Observation',
    id: reading.readingId,
    ...(profile && { meta: { profile: [VITAL_SIGNS, profile] } }),
    status: 'final',
    category: [{ coding: [{ system: CATEGORY, code: category }] }],
    code,
    subject: { reference: `Patient/${reading.patientId}` },
    effectiveDateTime: reading.measuredAt,
    device: { reference: `Device/${reading.deviceId}` },
    ...(reading.value !== undefined && reading.unit !== undefined && { valueQuantity: quantity(reading.value, reading.unit) }),
    ...(reading.taken !== undefined && { valueBoolean: reading.taken }),
    ...(reading.kind === 'blood-pressure' && {
      component: [
        { code: { coding: [{ system: LOINC, code: LOINC_SYSTOLIC, display: 'Systolic blood pressure' }] }, valueQuantity: quantity(reading.systolic!, 'mm[Hg]') },
        { code: { coding: [{ system: LOINC, code: LOINC_DIASTOLIC, display: 'Diastolic blood pressure' }] }, valueQuantity: quantity(reading.diastolic!, 'mm[Hg]') },
      ],
    }),
  };
}

export function toDevice(device: {
  deviceId: string;
  serial: string;
  kind: string;
  manufacturer: string;
  model: string;
  assignments: readonly { patientId: string; from: string; to?: string | undefined }[];
}, now: Date) {
  const iso = now.toISOString();
  const current = device.assignments.find((a) => a.from <= iso && (a.to === undefined || iso < a.to));
  return {
    resourceType: 'Device',
    id: device.deviceId,
    identifier: [{ system: 'urn:carebridge:device-serial', value: device.serial }],
    status: 'active',
    serialNumber: device.serial,
    manufacturer: device.manufacturer,
    modelNumber: device.model,
    type: { coding: [{ system: CAREBRIDGE, code: device.kind }], text: device.kind },
    ...(current && { patient: { reference: `Patient/${current.patientId}` } }),
  };
}

/** An enrolled patient as monitoring knows one: the id and the care team (https://hl7.org/fhir/R4/patient.html#generalPractitioner is the closest element). */
export function toPatient(patient: MonitoredPatient) {
  return {
    resourceType: 'Patient' as const,
    id: patient.patientId,
    active: true,
    generalPractitioner: patient.careTeam.map((id) => ({ reference: `Practitioner/${id}` })),
  };
}
