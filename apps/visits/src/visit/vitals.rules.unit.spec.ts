import { vitalsObservations, vitalsProblems } from './vitals.rules';

describe('vitals rules', () => {
  it('accepts plausible readings in either unit', () => {
    expect(vitalsProblems({ temperature: { value: 98.6, unit: '[degF]' }, weight: { value: 70, unit: 'kg' }, spo2: { value: 97, unit: '%' } })).toEqual([]);
  });

  it('names the field and the allowed units or range', () => {
    expect(vitalsProblems({ heartRate: { value: 300, unit: '/min' } })).toEqual([
      { field: 'heartRate.value', message: 'heartRate 300 /min is outside the plausible range 20-250 /min' },
    ]);
    expect(vitalsProblems({ weight: { value: 70, unit: 'stone' } })).toEqual([{ field: 'weight.unit', message: 'weight.unit must be one of kg, [lb_av], got stone' }]);
    expect(vitalsProblems({ bloodPressure: { systolic: 80, diastolic: 90, unit: 'mm[Hg]' } })[0]!.field).toBe('bloodPressure.diastolic');
    expect(vitalsProblems({})[0]!.field).toBe('vitals');
  });

  it('maps each measurement to its LOINC code', () => {
    expect(vitalsObservations({ bloodPressure: { systolic: 120, diastolic: 80, unit: 'mm[Hg]' }, spo2: { value: 98, unit: '%' } }).map((o) => o.loinc)).toEqual([
      '8480-6',
      '8462-4',
      '59408-5',
    ]);
  });
});
