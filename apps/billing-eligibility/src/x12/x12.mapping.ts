/**
 * ASC X12 interchange envelope handling: the ISA segment is fixed-width and defines the
 * delimiters (element: ISA byte 3; repetition: ISA11; component: ISA16; segment: the byte after).
 */
export interface Delimiters {
  readonly element: string;
  readonly repetition: string;
  readonly component: string;
  readonly segment: string;
}

export type Segment = readonly string[];

export class X12FormatError extends Error {
  readonly code = 'X12.MALFORMED';
  readonly kind = 'invalid' as const;
  constructor(message: string) {
    super(message);
    this.name = 'X12FormatError';
  }
}

export function delimitersOf(text: string): Delimiters {
  const start = text.indexOf('ISA');
  if (start < 0 || text.length < start + 106) throw new X12FormatError('no ISA segment: not an X12 interchange');
  const isa = text.slice(start, start + 106);
  const element = isa[3]!;
  const fields = isa.split(element);
  if (fields.length < 17) throw new X12FormatError('ISA segment has fewer than 16 elements');
  return { element, repetition: fields[11]!, component: fields[16]![0]!, segment: isa[105]! };
}

/** Segments in order, each as [id, e1, e2, ...]; line breaks around terminators are ignored. */
export function segmentsOf(text: string): { delimiters: Delimiters; segments: Segment[] } {
  const trimmed = text.trim();
  const delimiters = delimitersOf(trimmed);
  const segments = trimmed
    .slice(trimmed.indexOf('ISA'))
    .split(delimiters.segment)
    .map((s) => s.replace(/^[\r\n]+|[\r\n]+$/g, ''))
    .filter((s) => s.length > 0)
    .map((s) => s.split(delimiters.element));
  return { delimiters, segments };
}

export const DEFAULT_DELIMITERS: Delimiters = { element: '*', repetition: '^', component: ':', segment: '~' };
