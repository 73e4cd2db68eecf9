import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build270, type EligibilityInquiry } from './x12-270.mapping';
import { parse271 } from './x12-271.mapping';
import { matchingResponse, responseMismatches } from './x12-271-match.mapping';

const sample = (name: string) => readFileSync(path.join(__dirname, 'samples', name), 'utf8');

// The 270 that sample 02 answers: trace TRC0002 assigned by 9876543210, ROE RICHARD A123456789 born 1982-03-15.
const inquiry: EligibilityInquiry = {
  interchangeControlNumber: 102,
  senderId: 'CAREBRIDGE',
  receiverId: 'ACME01',
  createdAt: new Date('2026-11-22T10:30:00Z'),
  traceNumber: 'TRC0002',
  traceOriginatorId: '9876543210',
  payer: { name: 'ACME HEALTH PLAN', id: 'ACME01' },
  provider: { name: 'CAREBRIDGE CLINIC', npi: '1234567893' },
  subscriber: { memberId: 'A123456789', lastName: 'ROE', firstName: 'RICHARD', birthDate: '1982-03-15' },
  dateOfService: '2027-05-01',
  serviceTypes: ['30', '98'],
};

describe('a 271 matched to its 270 (trace and subscriber)', () => {
  it('matches the 271 that echoes our trace (TRN*2) and names our subscriber', () => {
    const [response] = parse271(sample('02-commercial-multiple-eb.x12'));
    expect(responseMismatches(inquiry, response!)).toEqual([]);
  });

  it('names the trace and the member when the 271 is about another member and another trace', () => {
    const [response] = parse271(sample('01-medicare-active.x12'));
    expect(responseMismatches(inquiry, response!)).toEqual(['trace number', 'member id', 'subscriber name', 'birth date']);
  });

  it('refuses a 271 that echoes our trace number but another originator (TRN03)', () => {
    const [response] = parse271(sample('02-commercial-multiple-eb.x12').replace('TRN*2*TRC0002*9876543210', 'TRN*2*TRC0002*1999999999'));
    expect(responseMismatches(inquiry, response!)).toEqual(['trace number']);
  });

  it("ignores the payer's own trace (TRN*1): only the referenced trace (TRN*2) is ours", () => {
    const text = sample('02-commercial-multiple-eb.x12').replace('TRN*2*TRC0002*9876543210~', 'TRN*1*TRC0002*9876543210~TRN*2*OTHER*9876543210~');
    const [response] = parse271(text);
    expect(responseMismatches(inquiry, response!)).toEqual(['trace number']);
  });

  it('compares names without regard to case or surrounding spaces, and the birth date only when we sent one', () => {
    const [response] = parse271(sample('02-commercial-multiple-eb.x12').replace('NM1*IL*1*ROE*RICHARD', 'NM1*IL*1*Roe *richard'));
    const { birthDate: _sentNone, ...withoutBirthDate } = inquiry.subscriber;
    expect(responseMismatches({ ...inquiry, subscriber: withoutBirthDate }, response!)).toEqual([]);
  });

  it('names a different birth date', () => {
    const [response] = parse271(sample('02-commercial-multiple-eb.x12'));
    expect(responseMismatches({ ...inquiry, subscriber: { ...inquiry.subscriber, birthDate: '1961-04-12' } }, response!)).toEqual(['birth date']);
  });

  it('picks, in an interchange with several 271s, the transaction set that answers our trace', () => {
    const other = sample('01-medicare-active.x12');
    const ours = sample('02-commercial-multiple-eb.x12');
    const body = (text: string) => text.slice(text.indexOf('ST*271'), text.indexOf('\nGE*') + 1);
    const both = `${ours.slice(0, ours.indexOf('ST*271'))}${body(other)}${body(ours)}GE*2*102~IEA*1*000000102~`;
    const responses = parse271(both);
    expect(responses).toHaveLength(2);
    expect(matchingResponse(inquiry, responses).subscriber?.memberId).toBe('A123456789');
  });

  it('reads the subscriber birth date (DMG) and the 271 interchange control number (ISA13)', () => {
    const [response] = parse271(sample('02-commercial-multiple-eb.x12'));
    expect(response!.subscriber).toEqual({ lastName: 'ROE', firstName: 'RICHARD', memberId: 'A123456789', birthDate: '1982-03-15' });
    expect(response!.interchangeControlNumber).toBe('000000102');
    expect(response!.traces).toEqual([{ type: '2', number: 'TRC0002', originator: '9876543210' }]);
  });

  it('the 270 we build is answered by a 271 that echoes its trace', () => {
    const sent = build270(inquiry);
    expect(sent).toContain('TRN*1*TRC0002*9876543210~');
  });
});
