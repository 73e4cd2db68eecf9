import type { ReadingKind, ReadingRecorded } from './readings.events';

/** A reading as sent, before normalisation (units as the device measured). */
export interface RawReading {
  readonly deviceId: string;
  readonly type: ReadingKind;
  readonly measuredAt: string;
  readonly value?: number;
  readonly systolic?: number;
  readonly diastolic?: number;
  readonly unit?: string;
  readonly taken?: boolean;
  readonly rxnormCode?: string;
}

export type Normalised = Omit<ReadingRecorded['data'], 'readingId' | 'patientId'>;

export type NormaliseResult = { readonly ok: true; readonly reading: Normalised } | { readonly ok: false; readonly reason: string };

/**
 * LOINC codes (vital-signs profile of FHIR R4 where one exists). Medication intake has no
 * LOINC observation code for "dose taken"; it is coded in Carebridge's own code system.
 */
export const LOINC: Readonly<Record<ReadingKind, string>> = {
  'blood-pressure': '85354-9',
  'heart-rate': '8867-4',
  spo2: '59408-5',
  'blood-glucose': '2339-0',
  'body-weight': '29463-7',
  'body-temperature': '8310-5',
  'medication-intake': 'carebridge:medication-intake',
};
export const LOINC_SYSTOLIC = '8480-6';
export const LOINC_DIASTOLIC = '8462-4';

/** Glucose: 1 mmol/L = 18.016 mg/dL (molar mass of glucose 180.16 g/mol). */
const MG_DL_PER_MMOL_L = 18.016;
const KG_PER_LB = 0.45359237;

/** Outside these a device or a typing error is far more likely than the patient's physiology. */
const PLAUSIBLE = {
  systolic: [40, 300],
  diastolic: [20, 200],
  'heart-rate': [20, 300],
  spo2: [50, 100],
  'blood-glucose': [10, 1_500],
  'body-weight': [1, 400],
  'body-temperature': [25, 45],
} as const;

/** A reading may be measured up to this long after `now` (device clocks drift). */
const MAX_FUTURE_MS = 5 * 60_000;

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function within(name: string, value: number, [min, max]: readonly [number, number], unit: string): string | undefined {
  if (!Number.isFinite(value)) return `${name} must be a number`;
  if (value < min || value > max) return `IMPLAUSIBLE_VALUE: ${name} ${value} ${unit} is outside ${min}-${max} ${unit}`;
  return undefined;
}

/** Normalises units and codes a reading, or says why it cannot be accepted. */
export function normaliseReading(raw: RawReading, now: Date): NormaliseResult {
  const measured = Date.parse(raw.measuredAt);
  if (Number.isNaN(measured)) return { ok: false, reason: 'INVALID_TIME: measuredAt is not a date-time' };
  if (measured > now.getTime() + MAX_FUTURE_MS) return { ok: false, reason: 'FUTURE_TIME: measuredAt is in the future' };
  const measuredAt = new Date(measured).toISOString();
  const base = { deviceId: raw.deviceId, kind: raw.type, loinc: LOINC[raw.type], measuredAt };
  const fail = (reason: string): NormaliseResult => ({ ok: false, reason });
  const need = (field: 'value' | 'systolic' | 'diastolic'): number | undefined => raw[field];

  switch (raw.type) {
    case 'blood-pressure': {
      const systolic = need('systolic');
      const diastolic = need('diastolic');
      if (systolic === undefined || diastolic === undefined) return fail('MISSING_VALUE: systolic and diastolic are required');
      if (raw.unit !== undefined && raw.unit !== 'mmHg' && raw.unit !== 'mm[Hg]') return fail(`UNKNOWN_UNIT: ${raw.unit} (use mmHg)`);
      const problem =
        within('systolic', systolic, PLAUSIBLE.systolic, 'mmHg') ?? within('diastolic', diastolic, PLAUSIBLE.diastolic, 'mmHg');
      if (problem) return fail(problem);
      if (diastolic >= systolic) return fail('IMPLAUSIBLE_VALUE: diastolic must be below systolic');
      return { ok: true, reading: { ...base, systolic, diastolic, unit: 'mm[Hg]' } };
    }
    case 'heart-rate':
      return simple(raw, base, '/min', ['/min', 'bpm', 'beats/min'], PLAUSIBLE['heart-rate'], (v) => v);
    case 'spo2':
      return simple(raw, base, '%', ['%'], PLAUSIBLE.spo2, (v) => v);
    case 'blood-glucose': {
      if (raw.value === undefined) return fail('MISSING_VALUE: value is required');
      if (raw.unit === 'mmol/L') {
        return simple({ ...raw, value: round(raw.value * MG_DL_PER_MMOL_L, 1), unit: 'mg/dL' }, base, 'mg/dL', ['mg/dL'], PLAUSIBLE['blood-glucose'], (v) => v);
      }
      return simple(raw, base, 'mg/dL', ['mg/dL'], PLAUSIBLE['blood-glucose'], (v) => v);
    }
    case 'body-weight':
      if (raw.unit === 'lb' || raw.unit === '[lb_av]') {
        return simple({ ...raw, unit: 'kg' }, base, 'kg', ['kg'], PLAUSIBLE['body-weight'], (v) => round(v * KG_PER_LB, 3));
      }
      return simple(raw, base, 'kg', ['kg'], PLAUSIBLE['body-weight'], (v) => v);
    case 'body-temperature':
      if (raw.unit === '°F' || raw.unit === '[degF]' || raw.unit === 'F') {
        return simple({ ...raw, unit: 'Cel' }, base, 'Cel', ['Cel'], PLAUSIBLE['body-temperature'], (v) => round(((v - 32) * 5) / 9, 2));
      }
      if (raw.unit === '°C' || raw.unit === 'C') return simple({ ...raw, unit: 'Cel' }, base, 'Cel', ['Cel'], PLAUSIBLE['body-temperature'], (v) => v);
      return simple(raw, base, 'Cel', ['Cel'], PLAUSIBLE['body-temperature'], (v) => v);
    case 'medication-intake':
      if (raw.taken === undefined) return fail('MISSING_VALUE: taken is required');
      return {
        ok: true,
        reading: { ...base, taken: raw.taken, ...(raw.rxnormCode !== undefined && { rxnormCode: raw.rxnormCode }) },
      };
    default: {
      const _exhaustive: never = raw.type;
      return fail(`UNKNOWN_TYPE: ${String(_exhaustive)}`);
    }
  }
}

/** One-value readings: the unit must be known; `convert` runs before the plausibility check. */
function simple(
  raw: RawReading,
  base: Pick<Normalised, 'deviceId' | 'kind' | 'loinc' | 'measuredAt'>,
  unit: string,
  accepted: readonly string[],
  range: readonly [number, number],
  convert: (v: number) => number,
): NormaliseResult {
  if (raw.value === undefined) return { ok: false, reason: 'MISSING_VALUE: value is required' };
  if (raw.unit !== undefined && !accepted.includes(raw.unit)) {
    return { ok: false, reason: `UNKNOWN_UNIT: ${raw.unit} (use ${accepted.join(' or ')})` };
  }
  const value = convert(raw.value);
  const problem = within(raw.type, value, range, unit);
  if (problem) return { ok: false, reason: problem };
  return { ok: true, reading: { ...base, value, unit } };
}
