/** What a reading measures. `medication-intake` comes from a smart pill box or the patient. */
export type ReadingKind =
  | 'blood-pressure'
  | 'heart-rate'
  | 'spo2'
  | 'blood-glucose'
  | 'body-weight'
  | 'body-temperature'
  | 'medication-intake';

export const READING_KINDS: readonly ReadingKind[] = [
  'blood-pressure',
  'heart-rate',
  'spo2',
  'blood-glucose',
  'body-weight',
  'body-temperature',
  'medication-intake',
];

/**
 * One accepted reading, normalised: blood pressure in mmHg, heart rate in /min, SpO2 in %,
 * glucose in mg/dL, weight in kg, temperature in °C. `loinc` codes what was measured.
 */
export interface ReadingRecorded {
  readonly type: 'ReadingRecorded';
  readonly data: {
    readonly readingId: string;
    readonly patientId: string;
    readonly deviceId: string;
    readonly kind: ReadingKind;
    readonly loinc: string;
    readonly measuredAt: string;
    readonly value?: number;
    readonly systolic?: number;
    readonly diastolic?: number;
    /** UCUM unit of `value` (or of systolic/diastolic). */
    readonly unit?: string;
    readonly taken?: boolean;
    readonly rxnormCode?: string;
  };
}

export type ReadingEvent = ReadingRecorded;
