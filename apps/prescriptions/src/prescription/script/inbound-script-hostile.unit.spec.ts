import { ids } from '../prescription.fixtures';
import { readInboundScript } from './inbound-script.mapping';
import { renderPharmacyReply } from './pharmacy-side.mapping';
import { MAX_SCRIPT_BYTES, parseScriptXml, ScriptParseError } from './script-parse.mapping';

// Issue 22 / 18: inbound SCRIPT XML is parsed without DTDs or entities, within a size and depth limit.
const header = { version: '2017071' as const, fromNcpdpId: '1234567', toNpi: '1234567893', relatesToMessageId: 'newrx-1', prescriberOrderNumber: ids.prescription, sentAt: '2026-11-22T15:00:00Z' };
const fill = renderPharmacyReply(header, { kind: 'RxFill', messageId: 'fill-1', fillStatus: 'dispensed', quantityDispensed: 30, reason: null });
const code = (xml: string) => {
  try {
    readInboundScript(xml);
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('inbound SCRIPT XML that tries to hurt us', () => {
  it('refuses a DTD: external entities (XXE) are never resolved', () => {
    const xxe = fill.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY e SYSTEM "file:///etc/passwd">]>').replace('fill-1', '&e;');
    expect(code(xxe)).toBe('SCRIPT.DTD_FORBIDDEN');
  });

  it('refuses entity expansion (billion laughs) before parsing anything', () => {
    const lol = `<!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Message><Header><MessageID>&b;</MessageID></Header></Message>`;
    expect(code(lol)).toBe('SCRIPT.DTD_FORBIDDEN');
  });

  it('refuses a reference to an undeclared entity', () => {
    expect(code(fill.replace('fill-1', 'x&e;y'))).toBe('SCRIPT.MALFORMED');
  });

  it('decodes the predefined entities and character references into text, nothing more', () => {
    expect(readInboundScript(fill.replace('fill-1', 'a&amp;b&#x3C;c&#62;')).message.messageId).toBe('a&b<c>');
  });

  it(`refuses a message larger than ${MAX_SCRIPT_BYTES} bytes`, () => {
    expect(code(fill.replace('</Message>', `<!--${'x'.repeat(MAX_SCRIPT_BYTES)}--></Message>`))).toBe('SCRIPT.TOO_LARGE');
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = `<Message>${'<a>'.repeat(40)}${'</a>'.repeat(40)}</Message>`;
    expect(() => parseScriptXml(deep)).toThrow(ScriptParseError);
    expect(code(deep)).toBe('SCRIPT.TOO_DEEP');
  });

  it.each([
    ['not XML', 'hello'],
    ['an unclosed element', fill.replace('</Body>', '')],
    ['two roots', `${fill}<Message/>`],
  ])('refuses %s as malformed', (_what, xml) => {
    expect(code(xml)).toBe('SCRIPT.MALFORMED');
  });

  it.each([
    ['a message without MessageID', fill.replace(/<MessageID>.*?<\/MessageID>/, ''), 'SCRIPT.INVALID_MESSAGE'],
    ['an RxFill without a fill status', fill.replace(/<FillStatus>.*?<\/FillStatus>/, ''), 'SCRIPT.INVALID_MESSAGE'],
    ['a negative quantity', fill.replace('<Value>30</Value>', '<Value>-3</Value>'), 'SCRIPT.INVALID_MESSAGE'],
    ['a note longer than 500 characters (refused, never cut)', fill.replace('<Dispensed></Dispensed>', `<Dispensed><Note>${'n'.repeat(501)}</Note></Dispensed>`), 'SCRIPT.INVALID_MESSAGE'],
    ['a NewRx (a message pharmacies do not send us)', fill.replace(/<RxFill>.*<\/RxFill>/, '<NewRx/>'), 'SCRIPT.UNSUPPORTED_MESSAGE'],
  ])('refuses %s, naming the element', (_what, xml, expected) => {
    expect(code(xml)).toBe(expected);
  });

  it('keeps markup in free text as text', () => {
    const hostile = '</Note></Denied><Approved/><Note>';
    const xml = renderPharmacyReply(header, { kind: 'CancelRxResponse', messageId: 'c-1', approved: false, reason: hostile });
    expect(readInboundScript(xml).message).toEqual({ kind: 'CancelRxResponse', messageId: 'c-1', approved: false, reason: hostile });
  });
});
