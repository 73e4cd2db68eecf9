import { type RawReading, normaliseReading } from './reading.rules';

const now = new Date('2026-03-01T12:00:00Z');
const r = (over: Partial<RawReading>): RawReading => ({ deviceId: 'd', type: 'heart-rate', measuredAt: '2026-03-01T11:00:00Z', value: 70, ...over });

describe('normalising readings', () => {
  it('codes blood pressure with LOINC and keeps mmHg', () => {
    expect(normaliseReading(r({ type: 'blood-pressure', systolic: 120, diastolic: 80, unit: 'mmHg', value: undefined }), now)).toEqual({
      ok: true,
      reading: { deviceId: 'd', kind: 'blood-pressure', loinc: '85354-9', measuredAt: '2026-03-01T11:00:00.000Z', systolic: 120, diastolic: 80, unit: 'mm[Hg]' },
    });
  });
  it('converts glucose mmol/L to mg/dL', () => {
    const result = normaliseReading(r({ type: 'blood-glucose', value: 5.5, unit: 'mmol/L' }), now);
    expect(result.ok && result.reading).toMatchObject({ value: 99.1, unit: 'mg/dL', loinc: '2339-0' });
  });
  it('converts pounds to kilograms', () => {
    const result = normaliseReading(r({ type: 'body-weight', value: 200, unit: 'lb' }), now);
    expect(result.ok && result.reading).toMatchObject({ value: 90.718, unit: 'kg', loinc: '29463-7' });
  });
  it('converts °F to °C', () => {
    const result = normaliseReading(r({ type: 'body-temperature', value: 100.4, unit: '°F' }), now);
    expect(result.ok && result.reading).toMatchObject({ value: 38, unit: 'Cel' });
  });
  it('rejects physiologically impossible values with a reason', () => {
    expect(normaliseReading(r({ type: 'spo2', value: 140, unit: '%' }), now)).toEqual({ ok: false, reason: 'IMPLAUSIBLE_VALUE: spo2 140 % is outside 50-100 %' });
    expect(normaliseReading(r({ value: 0 }), now)).toMatchObject({ ok: false });
    expect(normaliseReading(r({ type: 'blood-pressure', systolic: 80, diastolic: 90, value: undefined }), now)).toEqual({
      ok: false,
      reason: 'IMPLAUSIBLE_VALUE: diastolic must be below systolic',
    });
  });
  it('rejects unknown units and readings from the future', () => {
    expect(normaliseReading(r({ unit: 'Hz' }), now)).toMatchObject({ ok: false, reason: expect.stringContaining('UNKNOWN_UNIT') });
    expect(normaliseReading(r({ measuredAt: '2026-03-01T13:00:00Z' }), now)).toMatchObject({ ok: false, reason: expect.stringContaining('FUTURE_TIME') });
  });
  it('needs taken for medication intake', () => {
    expect(normaliseReading(r({ type: 'medication-intake', value: undefined }), now)).toMatchObject({ ok: false });
    expect(normaliseReading(r({ type: 'medication-intake', value: undefined, taken: false }), now)).toMatchObject({ ok: true, reading: { taken: false } });
  });
});
