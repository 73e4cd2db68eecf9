import { ScriptXmlError, renderNewRx } from './newrx-script.rules';
import { amoxicillin } from './prescription.fixtures';

// Issue 22: NCPDP SCRIPT XML written with hostile strings in every free-text field.
const envelope = {
  version: '2023011' as const,
  messageId: 'msg-1',
  sentAt: '2026-11-22T15:00:00.000Z',
  pharmacy: { ncpdpId: '1234567', npi: '1234567893' },
  patient: { lastName: 'Doe', firstName: 'Jane', gender: 'F' as const, dateOfBirth: '1980-02-03' },
  prescriber: { lastName: 'Smith', firstName: 'Ann' },
};

const HOSTILE = [
  '</SigText></Sig><Note>injected</Note><Sig><SigText>',
  '<![CDATA[ ]]> ]]>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  '&amp; &lt; &#x3C; &e;',
  `"quoted" and 'single' = attr="x"`,
  "' OR 1=1; --",
  '~NM1*IL*1*X~',
  'emoji 💊 and ünïcödé',
];

/** The element names in document order: the structure, whatever the text. */
const skeleton = (xml: string) => [...xml.matchAll(/<\/?([A-Za-z][\w:.-]*)[^>]*>/g)].map((m) => m[0].startsWith('</') ? `/${m[1]}` : m[1]);
const unescape = (text: string) => text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);

describe('NewRx XML with hostile strings', () => {
  const clean = renderNewRx(amoxicillin, envelope);

  it.each(HOSTILE)('keeps the structure and the exact text of %j in sig, note, drug name and names', (hostile) => {
    const rx = { ...amoxicillin, sig: hostile, noteToPharmacist: hostile, medication: { ...amoxicillin.medication, name: hostile } };
    const xml = renderNewRx(rx, { ...envelope, patient: { ...envelope.patient, lastName: hostile }, prescriber: { ...envelope.prescriber, firstName: hostile } });
    const withNote = renderNewRx({ ...amoxicillin, noteToPharmacist: 'x' }, envelope);
    expect(skeleton(xml)).toEqual(skeleton(withNote));
    expect(xml).not.toContain('<!DOCTYPE');
    expect(xml).not.toContain('<![CDATA[');
    const sig = /<SigText>([^<]*)<\/SigText>/.exec(xml)![1]!;
    expect(unescape(sig)).toBe(hostile);
    expect(unescape(/<Note>([^<]*)<\/Note>/.exec(xml)![1]!)).toBe(hostile);
    expect(skeleton(clean)).toEqual(skeleton(renderNewRx(amoxicillin, envelope)));
  });

  it.each(['nul\u0000byte', 'bell\u0007', 'lone \ud800 surrogate', '\uffff'])('refuses %j, a character XML cannot carry, rather than writing it', (hostile) => {
    expect(() => renderNewRx({ ...amoxicillin, sig: hostile }, envelope)).toThrow(ScriptXmlError);
  });
});
