import { LOINC } from '../visit/vitals.rules';
import type { VitalsRecorded } from '../visit/visit.events';
import type { OpenedVisit } from '../visit/visit.access';
import { US_CORE_BLOOD_PRESSURE } from './visits.fhir-server';

/** FHIR R4 read views (https://hl7.org/fhir/R4/encounter.html, observation-vitalsigns.html). */

// Our status -> FHIR R4 EncounterStatus (https://hl7.org/fhir/R4/valueset-encounter-status.html).
const ENCOUNTER_STATUS = {
  scheduled: 'planned',
  waiting: 'arrived',
  'in-progress': 'in-progress',
  ended: 'finished',
  'left-before-seen': 'cancelled',
  cancelled: 'cancelled',
} as const;

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const LOINC_SYSTEM = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const FHIR_PROFILE = 'http://hl7.org/fhir/StructureDefinition/';

/** Service type of the modality (http://terminology.hl7.org/CodeSystem/service-type has no telehealth codes; ours). */
const MODALITY_SYSTEM = 'https://carebridge.dev/fhir/visit-modality';

export function fhirEncounter(visit: OpenedVisit) {
  const r = visit.record;
  const end = r.outcome?.at ?? r.leftAt ?? r.cancelled?.at;
  return {
    resourceType: 'Encounter',
    id: r.visit.visitId,
    status: ENCOUNTER_STATUS[visit.status],
    // VR "virtual": the patient and provider are not in the same place.
    class: { system: ACT_CODE, code: 'VR', display: 'virtual' },
    type: [{ coding: [{ system: MODALITY_SYSTEM, code: r.modality }] }],
    subject: { reference: `Patient/${r.visit.patientId}` },
    participant: [
      ...(r.visit.providerId ? [{ type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND' }] }], individual: { reference: `Practitioner/${r.visit.providerId}` } }] : []),
      ...r.consults.flatMap((c) =>
        c.joined.map((id) => ({ type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'CON' }] }], individual: { reference: `Practitioner/${id}` } })),
      ),
    ],
    ...(r.visit.appointmentId && { appointment: [{ reference: `Appointment/${r.visit.appointmentId}` }] }),
    ...(r.admitted && { period: { start: r.admitted.at, ...(end && { end }) } }),
    reasonCode: r.diagnoses.map((d) => ({ coding: [{ system: ICD10CM, code: d.code, display: d.display }], text: d.display })),
    ...(r.outcome && {
      hospitalization: {
        dischargeDisposition: { coding: [{ system: 'https://carebridge.dev/fhir/visit-disposition', code: r.outcome.disposition }] },
      },
    }),
  };
}

const vitalSignsCategory = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] },
];

const quantity = (value: number, unit: string) => ({ value, unit, system: UCUM, code: unit });

/** One Observation per measurement (the blood pressure as a panel with systolic and diastolic components). */
export function fhirObservations(visit: OpenedVisit) {
  const r = visit.record;
  return r.vitals.flatMap((recorded: VitalsRecorded['data']) => {
    const v = recorded.vitals;
    // The profiles each measurement meets (https://hl7.org/fhir/R4/observation-vitalsigns.html; US Core 5.0.1 for blood pressure).
    const base = (suffix: string, code: readonly { code: string; display: string }[], profiles: readonly string[]) => ({
      resourceType: 'Observation' as const,
      id: `${recorded.vitalsId}-${suffix}`,
      meta: { profile: profiles.map((p) => (p.startsWith('http') ? p : `${FHIR_PROFILE}${p}`)) },
      status: 'final',
      category: vitalSignsCategory,
      code: { coding: code.map((c) => ({ system: LOINC_SYSTEM, ...c })) },
      subject: { reference: `Patient/${r.visit.patientId}` },
      encounter: { reference: `Encounter/${r.visit.visitId}` },
      effectiveDateTime: recorded.measuredAt,
      performer: [{ reference: recorded.recordedBy === 'patient' ? `Patient/${r.visit.patientId}` : `Practitioner/${r.visit.providerId}` }],
    });
    const out: unknown[] = [];
    if (v.temperature) out.push({ ...base('temperature', [{ code: LOINC.temperature, display: 'Body temperature' }], ['bodytemp']), valueQuantity: quantity(v.temperature.value, v.temperature.unit) });
    if (v.bloodPressure) {
      out.push({
        ...base('blood-pressure', [{ code: LOINC.bloodPressurePanel, display: 'Blood pressure panel with all children optional' }], [US_CORE_BLOOD_PRESSURE]),
        component: [
          { code: { coding: [{ system: LOINC_SYSTEM, code: LOINC.systolic, display: 'Systolic blood pressure' }] }, valueQuantity: quantity(v.bloodPressure.systolic, v.bloodPressure.unit) },
          { code: { coding: [{ system: LOINC_SYSTEM, code: LOINC.diastolic, display: 'Diastolic blood pressure' }] }, valueQuantity: quantity(v.bloodPressure.diastolic, v.bloodPressure.unit) },
        ],
      });
    }
    if (v.heartRate) out.push({ ...base('heart-rate', [{ code: LOINC.heartRate, display: 'Heart rate' }], ['heartrate']), valueQuantity: quantity(v.heartRate.value, v.heartRate.unit) });
    if (v.spo2) {
      out.push({
        ...base('spo2', [
          { code: LOINC.spo2General, display: 'Oxygen saturation in Arterial blood' },
          { code: LOINC.spo2, display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
        ], ['oxygensat']),
        valueQuantity: quantity(v.spo2.value, v.spo2.unit),
      });
    }
    if (v.weight) out.push({ ...base('weight', [{ code: LOINC.weight, display: 'Body weight' }], ['bodyweight']), valueQuantity: quantity(v.weight.value, v.weight.unit) });
    return out as { resourceType: 'Observation'; id: string }[];
  });
}
