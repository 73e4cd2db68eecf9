import { CLINICAL_RULES, SOURCES, SYMPTOM_CODES, intakeTexts, rulesForDiagnoses, triage } from './index';

const said = (...texts: string[]) => triage({ texts: texts.map((text, i) => ({ field: i === 0 ? 'reason' : 'intake.description', text })) });

describe('negation and history, as NegEx reads them (issue 15 examples)', () => {
  it('"never had chest pain, it is a sore throat" does not trigger', () => {
    const result = said('never had chest pain, it is a sore throat');
    expect(result.disposition).toBe('virtual-ok');
    expect(result.matches).toContainEqual(expect.objectContaining({ rule: 'chest-pain', status: 'negated', effect: 'none' }));
  });

  it('"no fever and no rash" does not trigger', () => {
    expect(said('no fever and no rash').disposition).toBe('virtual-ok');
  });

  it('"had a seizure as a child, fine since" does not trigger, and says why', () => {
    const result = said('had a seizure as a child, fine since');
    expect(result.disposition).toBe('virtual-ok');
    expect(result.matches).toEqual([expect.objectContaining({ rule: 'seizure', status: 'historical', phrase: 'seizure' })]);
  });

  it('"not able to breathe" does trigger: the negation is part of the finding', () => {
    expect(said('not able to breathe').rules).toEqual(['difficulty-breathing']);
  });

  it('a pseudo-negation negates nothing: "not only a cough, my chest feels tight"', () => {
    expect(said('not only a cough, my chest feels tight').disposition).toBe('emergency');
  });

  it('a termination term ends the scope: "no fever but a purple rash that does not fade when pressed"', () => {
    expect(said('no fever but a purple rash that does not fade when pressed').rules).toEqual(['fever-with-rash']);
  });

  it('a comma ends a negation unless a list goes on: "no fever, chest pain since noon" is chest pain', () => {
    expect(said('no fever, chest pain since noon').disposition).toBe('emergency');
    expect(said('no fever, cough or chest pain').disposition).toBe('virtual-ok');
  });

  it('works in Spanish: "no tengo dolor de pecho" is negated, "no puedo respirar" is not', () => {
    expect(said('no tengo dolor de pecho').disposition).toBe('virtual-ok');
    expect(said('no puedo respirar').rules).toEqual(['difficulty-breathing']);
  });
});

describe('dispositions', () => {
  it('a crisis statement is an emergency naming 988 and 911, in the patient language', () => {
    const en = said('I want to end my life');
    expect([en.disposition, en.crisis]).toEqual(['emergency', true]);
    expect(en.guidance).toMatch(/988/);
    expect(en.guidance).toMatch(/911/);
    const es = said('ya no quiero vivir');
    expect(es.language).toBe('es');
    expect(es.guidance).toMatch(/Llame o envíe un mensaje de texto al 988/);
  });

  it('a denied suicidal thought is still reviewed by a clinician, never an emergency and never ignored', () => {
    const result = said("I'm not suicidal, just stressed");
    expect(result.disposition).toBe('needs-review');
    expect(result.guidance).toMatch(/988/);
  });

  it('pain with no site needs review, with how to get urgent help', () => {
    const result = said('it hurts so much');
    expect(result.disposition).toBe('needs-review');
    expect(result.guidance).toMatch(/911/);
  });

  it('a hypothetical red flag needs review: "what should I do if I get chest pain"', () => {
    expect(said('what should I do if I get chest pain on the new medication').disposition).toBe('needs-review');
  });

  it('a head bump with no danger sign needs review; with vomiting it is an emergency, across fields', () => {
    expect(said('hit my head on a cupboard').disposition).toBe('needs-review');
    expect(said('hit my head on a cupboard', 'since then I have been vomiting').rules).toEqual(['concussion']);
  });

  it('abdominal pain is in person, and an emergency wins over it', () => {
    expect(said('my stomach hurts').disposition).toBe('in-person');
    expect(said('my stomach hurts and I can not breathe').disposition).toBe('emergency');
  });

  it('returns which phrase triggered which rule, in the patient own words and field', () => {
    const result = said('Booked for a rash', 'I have a FEVER of 102 and the rash is spreading');
    expect(result.rules).toEqual(['fever-with-rash']);
    expect(result.matches[0]).toMatchObject({ rule: 'fever-with-rash', effect: 'emergency', via: 'text', field: 'intake.description+reason', phrase: 'FEVER … rash' });
  });

  it('tolerates case, punctuation, accents, plurals and common misspellings', () => {
    expect(said('SIEZURES!!!').rules).toEqual(['seizure']);
    expect(said('presion en el pecho').rules).toEqual(['chest-pain']);
    expect(said('cheast pains').rules).toEqual(['chest-pain']);
    expect(said('difficulty breathin').rules).toEqual(['difficulty-breathing']);
  });

  it('coded symptoms still decide: a red-flag code, and fever ticked with a rash', () => {
    expect(triage({ symptoms: ['chest-pain'], texts: [] }).disposition).toBe('emergency');
    expect(triage({ symptoms: ['fever', 'skin-rash'], texts: [] }).rules).toEqual(['fever-with-rash']);
    expect(triage({ symptoms: ['cough', 'allergies'], texts: [] }).disposition).toBe('virtual-ok');
  });

  it('reads the booking fields by name', () => {
    expect(intakeTexts('cough', { description: 'dry', questions: ['is it contagious?'] }).map((t) => t.field)).toEqual(['reason', 'intake.description', 'intake.questions[0]']);
  });

  it('an R10 diagnosis calls for an in-person examination', () => {
    expect(rulesForDiagnoses(['R10.31', 'J06.9'])).toEqual([{ rule: 'abdominal-pain', disposition: 'in-person', code: 'R10.31' }]);
  });
});

describe('the reference table', () => {
  it('every rule names its sources, and every source has a URL and a date', () => {
    for (const rule of CLINICAL_RULES) expect([rule.id, rule.sources.length > 0]).toEqual([rule.id, true]);
    for (const source of Object.values(SOURCES)) {
      expect(source.url).toMatch(/^(https?:|carebridge:)/);
      expect(source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('offers the codes the guidance lists as fit for telemedicine, and keeps the old ones', () => {
    expect(SYMPTOM_CODES).toEqual(
      expect.arrayContaining(['cough', 'allergies', 'minor-back-pain', 'sprain-or-strain', 'skin-condition', 'mental-health', 'medication-question', 'test-results', 'follow-up']),
    );
    expect(SYMPTOM_CODES).toEqual(expect.arrayContaining(['chest-pain', 'abdominal-pain', 'skin-rash', 'chronic-condition-follow-up', 'other']));
    expect(new Set(SYMPTOM_CODES).size).toBe(SYMPTOM_CODES.length);
  });
});
