import { triage } from './index';

/**
 * The second pass of issue 15: what the triage must do with words nobody listed. These test the
 * mechanisms (tolerant matching, concept combinations, clause-bounded negation, the review net),
 * each with wording that appears in none of the phrasing sets.
 */
const said = (text: string) => triage({ texts: [{ field: 'reason', text }] });

describe('tolerant reading', () => {
  it('collapses repeated letters and reads a one-letter slip in a five-letter word', () => {
    expect(said('my chesssst is soooo tight').disposition).toBe('emergency');
    expect(said('crushing pian in my chets').disposition).toBe('emergency');
  });

  it('reads inflections of a word (breathe, breathing, breathed)', () => {
    expect(said('he is struggling breathing').disposition).toBe('emergency');
  });

  it('does not read common words as red-flag slips (right/tight, heard/heart, paint/faint)', () => {
    expect(said('I heard my knee click when I paint the ceiling, it feels all right').disposition).toBe('virtual-ok');
  });
});

describe('negation stays inside its clause', () => {
  it('"no fever and my chest is crushing" is chest pain: "and" with a new subject ends the scope', () => {
    expect(said('no fever and my chest is crushing me').disposition).toBe('emergency');
  });

  it('"no chest pain or shortness of breath" stays negated (a list goes on with "or")', () => {
    expect(said('no chest pain or shortness of breath, just a cough').disposition).not.toBe('emergency');
  });

  it('history does not leak into the next sentence', () => {
    expect(said('had a seizure in 2019. today my face is drooping on one side').disposition).toBe('emergency');
  });
});

describe('context beyond negation', () => {
  it('family history is history: "my grandfather died of a heart attack" asks nothing', () => {
    const result = said('my grandfather died of a heart attack, I want my cholesterol checked');
    expect(result.disposition).toBe('virtual-ok');
    expect(result.matches).toContainEqual(expect.objectContaining({ rule: 'chest-pain', status: 'historical' }));
  });

  it('a question about warning signs is hypothetical: reviewed, not an emergency', () => {
    expect(said('what are the signs of a stroke?').disposition).toBe('needs-review');
  });

  it('a condition ends at its comma: "not sure if it is stress, my chest is crushing" is chest pain', () => {
    expect(said('not sure if it is stress, my chest is crushing').disposition).toBe('emergency');
  });

  it('a clause with its subject left out ends the negation: "no fever and is vomiting after hitting his head"', () => {
    expect(said('hit his head, no fever and is vomiting').disposition).toBe('emergency');
  });

  it('an accident explains a cut away entirely; a cut with no accident named is a crisis', () => {
    expect(said('I cut myself chopping onions').rules).not.toContain('suicidal-or-self-harm');
    expect(said('I cut myself again last night').crisis).toBe(true);
  });
});

describe('uncertain never becomes virtual-ok silently', () => {
  it('a red flag read only from a misspelling is reviewed, not acted on', () => {
    // Both words one slip away: a guess; one of them as written: a finding.
    expect(said('my cheest is tihgt').disposition).toBe('needs-review');
    expect(said('my chest is tihgt').disposition).toBe('emergency');
  });


  it.each([
    ['a chest that feels strange, no quality word', 'my chest feels strange since this morning'],
    ['a racing heart', 'my heart is racing and pounding'],
    ['tingling in one limb', 'tingling in my arm that comes and goes'],
    ['room spinning', 'the room keeps spinning'],
    ['hopelessness', 'I feel hopeless and like a burden to everyone'],
    ['a crack heard after a fall', 'heard a crack when I landed on my foot'],
    ['a swollen tongue with no cause named', 'my tongue is swollen'],
  ])('%s -> needs-review (at least)', (_why, text) => {
    expect(['needs-review', 'emergency', 'in-person']).toContain(said(text).disposition);
  });

  it('the review is recorded against the rule of the body system it touches', () => {
    expect(said('my heart is racing and pounding').matches[0]).toEqual(expect.objectContaining({ rule: 'chest-pain', effect: 'needs-review' }));
  });

  it('ordinary telemedicine words do not raise the net', () => {
    for (const text of ['sore throat and a runny nose', 'refill of my blood pressure pills', 'itchy rash on my elbow', 'question about my test results']) {
      expect([text, said(text).disposition]).toEqual([text, 'virtual-ok']);
    }
  });
});

describe('concept combinations, not sentences', () => {
  it.each([
    ['seizure: stiffening then jerking', 'she stiffened up and then her legs were jerking', 'seizure'],
    ['seizure: unresponsive and shaking', 'found him unresponsive, shaking all over', 'seizure'],
    ['crisis: no point in living', 'honestly there is no point in living', 'suicidal-or-self-harm'],
    ['crisis: wanting to be gone', 'I just want to be gone forever', 'suicidal-or-self-harm'],
    ['burn: scald with blisters and no "burn" word', 'boiling water went on his arm and it blistered', 'serious-burn'],
    ['bleeding: vomiting blood', 'puking blood', 'severe-bleeding'],
    ['bone: snap and cannot bear weight', 'felt a snap in my ankle and cannot put weight on it', 'broken-bone-or-dislocation'],
    ['breathing: fast and grunting child', 'my baby is grunting with every breath', 'difficulty-breathing'],
    ['speech: nonsense words', 'he is saying nonsense words', 'slurred-speech'],
    ['balance: vertigo and cannot stand', 'vertigo so bad I cannot stand up', 'sudden-vision-or-balance-loss'],
  ])('%s', (_why, text, rule) => {
    const result = said(text);
    expect([result.disposition, result.rules]).toEqual(['emergency', expect.arrayContaining([rule])]);
  });
});
