/**
 * Home-measured vitals: the units a patient's devices report (UCUM codes) and the plausible range
 * of each, beyond which a reading is a device or typing error rather than a patient state.
 * Ranges: physiological extremes compatible with a patient at home talking to a provider
 * (hypothermia/hyperpyrexia 30-45 Cel; SpO2 oximeters read 50-100 %), reviewed by the medical
 * director like the triage table. LOINC codes from the FHIR R4 vital signs profile
 * (https://hl7.org/fhir/R4/observation-vitalsigns.html).
 */

export interface Quantity {
  readonly value: number;
  readonly unit: string;
}

export interface VitalsInput {
  readonly temperature?: Quantity;
  readonly bloodPressure?: { readonly systolic: number; readonly diastolic: number; readonly unit: string };
  readonly heartRate?: Quantity;
  readonly spo2?: Quantity;
  readonly weight?: Quantity;
}

export interface VitalsProblem {
  readonly field: string;
  readonly message: string;
}

interface Range {
  readonly min: number;
  readonly max: number;
}

/** Allowed units per measurement, each with its plausible range. */
export const VITAL_RANGES = {
  temperature: { Cel: { min: 30, max: 45 }, '[degF]': { min: 86, max: 113 } },
  systolic: { 'mm[Hg]': { min: 50, max: 260 } },
  diastolic: { 'mm[Hg]': { min: 30, max: 160 } },
  heartRate: { '/min': { min: 20, max: 250 } },
  spo2: { '%': { min: 50, max: 100 } },
  weight: { kg: { min: 0.5, max: 350 }, '[lb_av]': { min: 1, max: 770 } },
} as const satisfies Record<string, Record<string, Range>>;

export const LOINC = {
  temperature: '8310-5',
  bloodPressurePanel: '85354-9',
  systolic: '8480-6',
  diastolic: '8462-4',
  heartRate: '8867-4',
  /** Oxygen saturation by pulse oximetry; 2708-6 is the general SpO2 code it refines. */
  spo2: '59408-5',
  spo2General: '2708-6',
  weight: '29463-7',
} as const;

function checkRange(field: string, value: number, unit: string, ranges: Readonly<Record<string, Range>>): VitalsProblem[] {
  const range = ranges[unit];
  if (range === undefined) {
    return [{ field: `${field}.unit`, message: `${field}.unit must be one of ${Object.keys(ranges).join(', ')}, got ${unit}` }];
  }
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    return [{ field: `${field}.value`, message: `${field} ${value} ${unit} is outside the plausible range ${range.min}-${range.max} ${unit}` }];
  }
  return [];
}

/** Every problem of a reading (empty when it is plausible). */
export function vitalsProblems(vitals: VitalsInput): VitalsProblem[] {
  const problems: VitalsProblem[] = [];
  const { temperature, bloodPressure, heartRate, spo2, weight } = vitals;
  if (!temperature && !bloodPressure && !heartRate && !spo2 && !weight) {
    return [{ field: 'vitals', message: 'at least one of temperature, bloodPressure, heartRate, spo2, weight is required' }];
  }
  if (temperature) problems.push(...checkRange('temperature', temperature.value, temperature.unit, VITAL_RANGES.temperature));
  if (bloodPressure) {
    const bp = bloodPressure;
    const range = (field: 'systolic' | 'diastolic', value: number) =>
      checkRange(`bloodPressure.${field}`, value, bp.unit, VITAL_RANGES[field]).map((p) =>
        p.field.endsWith('.unit') ? { field: 'bloodPressure.unit', message: `bloodPressure.unit must be mm[Hg], got ${bp.unit}` } : { ...p, field: `bloodPressure.${field}` },
      );
    const found = [...range('systolic', bp.systolic), ...range('diastolic', bp.diastolic)];
    problems.push(...found.filter((p, i) => found.findIndex((q) => q.field === p.field) === i));
    if (found.length === 0 && bp.diastolic >= bp.systolic) {
      problems.push({ field: 'bloodPressure.diastolic', message: `bloodPressure.diastolic ${bp.diastolic} must be below systolic ${bp.systolic}` });
    }
  }
  if (heartRate) problems.push(...checkRange('heartRate', heartRate.value, heartRate.unit, VITAL_RANGES.heartRate));
  if (spo2) problems.push(...checkRange('spo2', spo2.value, spo2.unit, VITAL_RANGES.spo2));
  if (weight) problems.push(...checkRange('weight', weight.value, weight.unit, VITAL_RANGES.weight));
  return problems;
}

/** LOINC code, value and UCUM unit per measurement (the blood pressure as its two components). */
export function vitalsObservations(vitals: VitalsInput): { loinc: string; value: number; unit: string }[] {
  const out: { loinc: string; value: number; unit: string }[] = [];
  if (vitals.temperature) out.push({ loinc: LOINC.temperature, ...vitals.temperature });
  if (vitals.bloodPressure) {
    out.push({ loinc: LOINC.systolic, value: vitals.bloodPressure.systolic, unit: vitals.bloodPressure.unit });
    out.push({ loinc: LOINC.diastolic, value: vitals.bloodPressure.diastolic, unit: vitals.bloodPressure.unit });
  }
  if (vitals.heartRate) out.push({ loinc: LOINC.heartRate, ...vitals.heartRate });
  if (vitals.spo2) out.push({ loinc: LOINC.spo2, ...vitals.spo2 });
  if (vitals.weight) out.push({ loinc: LOINC.weight, ...vitals.weight });
  return out;
}
