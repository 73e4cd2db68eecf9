import { DEFAULT_DELIMITERS, type Delimiters } from './x12.mapping';

/** What a 270 eligibility inquiry (005010X279A1) for one subscriber needs. Time comes in: no clock here. */
export interface EligibilityInquiry {
  readonly interchangeControlNumber: number;
  readonly senderId: string;
  readonly receiverId: string;
  readonly createdAt: Date;
  readonly traceNumber: string;
  /**
   * TRN03, who assigned the trace: 10 characters, an identification code designation then a
   * nine-character id: `1` + EIN, `3` + DUNS, `9` + a user-assigned number (X12 element 509,
   * "Originating Company Identifier"; https://stedi.com/edi/x12-004040/segment/TRN).
   */
  readonly traceOriginatorId: string;
  readonly payer: { readonly name: string; readonly id: string };
  readonly provider: { readonly name: string; readonly npi: string };
  readonly subscriber: {
    readonly memberId: string;
    readonly lastName: string;
    readonly firstName: string;
    readonly birthDate?: string;
  };
  readonly dateOfService: string;
  /** Service type codes (X12 1365): 30 health benefit plan coverage, 98 professional visit (office), MH mental health... */
  readonly serviceTypes: readonly string[];
  readonly production?: boolean;
  /**
   * Characters after each segment terminator (`\n` or `\r\n` for partners that want one segment
   * per line); default none, so nothing follows `IEA...~` (x12-parser read a trailing newline as
   * an extra, empty segment).
   */
  readonly segmentSuffix?: '' | '\n' | '\r\n';
}

/** X12 element 509: 1 (EIN), 3 (DUNS) or 9 (user assigned), then nine characters (EIN and DUNS: digits). */
export const TRACE_ORIGINATOR_ID = /^(?:[13]\d{9}|9[A-Za-z0-9]{9})$/;

/** A value that would change the interchange's structure: a separator in use, or a control character. */
export class X12ElementError extends Error {
  readonly code = 'X12.SEPARATOR_IN_ELEMENT';
  readonly kind = 'invalid' as const;
  constructor(readonly field: string) {
    super(`${field} contains an X12 separator (* ~ : ^ |) or a control character; it cannot be sent in a 270`);
    this.name = 'X12ElementError';
  }
}

/** The configured TRN03 is not an X12 element 509 value (the config schema refuses it at boot). */
export class X12TraceOriginatorError extends Error {
  readonly code = 'X12.TRACE_ORIGINATOR_INVALID';
  readonly kind = 'invalid' as const;
  readonly field = 'traceOriginatorId';
  constructor() {
    super('traceOriginatorId must be 10 characters: 1 + EIN, 3 + DUNS or 9 + a user-assigned id (X12 element 509)');
    this.name = 'X12TraceOriginatorError';
  }
}

/** Refuses, never escapes: X12 has no escape, so a separator inside an element would split it (an injected segment). */
function element(field: string, value: string, d: Delimiters): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value) || [d.element, d.repetition, d.component, d.segment, '~', '*', ':', '^', '|'].some((sep) => value.includes(sep))) {
    throw new X12ElementError(field);
  }
  return value;
}

const pad = (value: string, width: number) => value.slice(0, width).padEnd(width, ' ');
const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, '');
const hm = (d: Date) => d.toISOString().slice(11, 16).replace(':', '');

/** Builds the whole interchange: ISA/GS/ST ... SE/GE/IEA, with the service types as EQ repetitions. */
export function build270(inquiry: EligibilityInquiry, d: Delimiters = DEFAULT_DELIMITERS): string {
  const e = (field: string, value: string) => element(field, value, d);
  const control = String(inquiry.interchangeControlNumber).padStart(9, '0');
  const date = inquiry.createdAt;
  const isa = [
    'ISA', '00', pad('', 10), '00', pad('', 10), 'ZZ', pad(e('senderId', inquiry.senderId), 15), 'ZZ', pad(e('receiverId', inquiry.receiverId), 15),
    ymd(date).slice(2), hm(date), d.repetition, '00501', control, '0', inquiry.production ? 'P' : 'T', d.component,
  ].join(d.element);
  const body: string[][] = [
    ['ST', '270', '0001', '005010X279A1'],
    ['BHT', '0022', '13', e('traceNumber', inquiry.traceNumber), ymd(date), hm(date)],
    ['HL', '1', '', '20', '1'],
    ['NM1', 'PR', '2', e('payer.name', inquiry.payer.name), '', '', '', '', 'PI', e('payer.id', inquiry.payer.id)],
    ['HL', '2', '1', '21', '1'],
    ['NM1', '1P', '2', e('provider.name', inquiry.provider.name), '', '', '', '', 'XX', e('provider.npi', inquiry.provider.npi)],
    ['HL', '3', '2', '22', '0'],
    ['TRN', '1', e('traceNumber', inquiry.traceNumber), originator(inquiry.traceOriginatorId)],
    [
      'NM1', 'IL', '1', e('subscriber.lastName', inquiry.subscriber.lastName), e('subscriber.firstName', inquiry.subscriber.firstName),
      '', '', '', 'MI', e('subscriber.memberId', inquiry.subscriber.memberId),
    ],
    ...(inquiry.subscriber.birthDate ? [['DMG', 'D8', e('subscriber.birthDate', inquiry.subscriber.birthDate.replace(/-/g, ''))]] : []),
    ['DTP', '291', 'D8', e('dateOfService', inquiry.dateOfService.replace(/-/g, ''))],
    ['EQ', inquiry.serviceTypes.map((t, i) => e(`serviceTypes[${i}]`, t)).join(d.repetition)],
  ];
  const st = [...body, ['SE', String(body.length + 1), '0001']];
  const segments = [
    isa,
    ['GS', 'HS', inquiry.senderId, inquiry.receiverId, ymd(date), hm(date), String(inquiry.interchangeControlNumber), 'X', '005010X279A1'].join(d.element),
    ...st.map((s) => trimTrailing(s).join(d.element)),
    ['GE', '1', String(inquiry.interchangeControlNumber)].join(d.element),
    ['IEA', '1', control].join(d.element),
  ];
  const suffix = inquiry.segmentSuffix ?? '';
  return segments.map((s) => s + d.segment + suffix).join('');
}

function originator(value: string): string {
  if (!TRACE_ORIGINATOR_ID.test(value)) throw new X12TraceOriginatorError();
  return value;
}

/** X12 omits trailing empty elements. */
function trimTrailing(segment: string[]): string[] {
  let end = segment.length;
  while (end > 1 && segment[end - 1] === '') end--;
  return segment.slice(0, end);
}
