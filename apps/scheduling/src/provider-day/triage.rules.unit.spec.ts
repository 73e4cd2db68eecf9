import { TRIAGE_RULES, triage } from './triage.rules';

describe('triage table', () => {
  it.each(TRIAGE_RULES.filter((rule) => rule.outcome === 'emergency').map((rule) => rule.symptom))(
    '%s is an emergency',
    (symptom) => {
      expect(triage([symptom])).toEqual({ outcome: 'emergency', matched: [symptom] });
    },
  );

  it('lists the ten red flags of issue 3 and abdominal pain as in-person only', () => {
    expect(TRIAGE_RULES.filter((rule) => rule.outcome === 'emergency')).toHaveLength(10);
    expect(TRIAGE_RULES.filter((rule) => rule.outcome === 'in-person-only').map((rule) => rule.symptom)).toEqual(['abdominal-pain']);
  });

  it('abdominal pain needs an in-person visit', () => {
    expect(triage(['abdominal-pain', 'fever'])).toEqual({ outcome: 'in-person-only', matched: ['abdominal-pain'] });
  });

  it('an emergency symptom wins over abdominal pain', () => {
    expect(triage(['abdominal-pain', 'chest-pain']).outcome).toBe('emergency');
  });

  it('ordinary symptoms can be seen by telehealth', () => {
    expect(triage(['cough', 'sore-throat'])).toEqual({ outcome: 'telehealth-ok', matched: [] });
  });
});
