import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Reading SCRIPT XML we did not write, safely: no DTD (so no entity definitions, no external
 * entities, no billion laughs), a size limit, a nesting limit, well-formedness checked before
 * parsing, and only the five predefined entities and character references decoded (by us).
 */
export const MAX_SCRIPT_BYTES = 256 * 1024;
const MAX_DEPTH = 32;

export class ScriptParseError extends Error {
  readonly kind = 'invalid' as const;
  constructor(
    readonly code: 'SCRIPT.TOO_LARGE' | 'SCRIPT.DTD_FORBIDDEN' | 'SCRIPT.MALFORMED' | 'SCRIPT.TOO_DEEP',
    message: string,
  ) {
    super(message);
    this.name = 'ScriptParseError';
  }
}

/** One element in document order: its name, attributes, text and children. */
export interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
  readonly children: readonly XmlNode[];
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
  commentPropName: '#comment',
});

const ENTITY = /&(?:(lt|gt|amp|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (value: string): string =>
  value.replace(ENTITY, (_, named: string | undefined, dec: string | undefined, hex: string | undefined) =>
    named ? NAMED[named]! : String.fromCodePoint(dec ? Number(dec) : parseInt(hex!, 16)),
  );

/** Parses one SCRIPT document into its element tree (the root element), or throws ScriptParseError. */
export function parseScriptXml(xml: string): XmlNode {
  if (Buffer.byteLength(xml, 'utf8') > MAX_SCRIPT_BYTES) throw new ScriptParseError('SCRIPT.TOO_LARGE', `A SCRIPT message may hold at most ${MAX_SCRIPT_BYTES} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new ScriptParseError('SCRIPT.DTD_FORBIDDEN', 'A SCRIPT message may not carry a DTD or entity declarations');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ScriptParseError('SCRIPT.MALFORMED', `Not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  // A reference to an entity the document never declared (it cannot declare one) is an error too.
  const undeclared = /&(?!(?:lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});)/.exec(xml);
  if (undeclared) throw new ScriptParseError('SCRIPT.MALFORMED', 'Not well-formed XML (an undeclared entity reference)');
  const roots = toNodes(parser.parse(xml) as unknown[], 0);
  if (roots.length !== 1) throw new ScriptParseError('SCRIPT.MALFORMED', 'A SCRIPT message has exactly one root element');
  return roots[0]!;
}

function toNodes(items: readonly unknown[], depth: number): XmlNode[] {
  if (depth > MAX_DEPTH) throw new ScriptParseError('SCRIPT.TOO_DEEP', `A SCRIPT message nests at most ${MAX_DEPTH} elements deep`);
  const nodes: XmlNode[] = [];
  for (const item of items) {
    const entry = item as Record<string, unknown>;
    const name = Object.keys(entry).find((k) => k !== ':@');
    if (name === undefined || name === '#text' || name === '#comment') continue;
    const content = (entry[name] ?? []) as unknown[];
    const attrs = (entry[':@'] ?? {}) as Record<string, string>;
    const text = content
      .map((c) => (c as Record<string, unknown>)['#text'])
      .filter((t): t is string => typeof t === 'string')
      .join('');
    nodes.push({
      name,
      attributes: Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k, decode(String(v))])),
      text: decode(text),
      children: toNodes(content, depth + 1),
    });
  }
  return nodes;
}

/** The first child element with this name, following a path (`child(node, 'Header', 'MessageID')`). */
export function child(node: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current = node;
  for (const name of path) current = current?.children.find((c) => c.name === name);
  return current;
}

export const textAt = (node: XmlNode | undefined, ...path: string[]): string | undefined => child(node, ...path)?.text;
