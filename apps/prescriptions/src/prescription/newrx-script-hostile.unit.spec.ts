import { ScriptXmlError, renderNewRx } from './newrx-script.rules';
import { amoxicillin, scriptDelivery } from './prescription.fixtures';

// Issue 22: NCPDP SCRIPT XML written with hostile strings in every free-text field.
const envelope = { messageId: 'msg-1', sentAt: '2026-11-22T15:00:00.000Z', pharmacyNcpdpId: '1234567', delivery: scriptDelivery };

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

  it.each(HOSTILE)('keeps the structure and the exact text of %j in sig, note, drug name, names and the pharmacy address', (hostile) => {
    const rx = { ...amoxicillin, sig: hostile, noteToPharmacist: hostile, medication: { ...amoxicillin.medication, name: hostile } };
    const delivery = {
      ...scriptDelivery,
      patient: { ...scriptDelivery.patient, lastName: hostile },
      prescriber: { ...scriptDelivery.prescriber, firstName: hostile },
      pharmacy: { ...scriptDelivery.pharmacy, name: hostile, address: { ...scriptDelivery.pharmacy.address, city: hostile } },
    };
    const xml = renderNewRx(rx, { ...envelope, delivery });
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
