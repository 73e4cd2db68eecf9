import { readFileSync } from 'node:fs';
import path from 'node:path';
import { X12FormatError, segmentsOf } from './x12.mapping';
import { X12TraceOriginatorError, build270 } from './x12-270.mapping';
import { costShareFor, parse271 } from './x12-271.mapping';

const sample = (name: string) => readFileSync(path.join(__dirname, 'samples', name), 'utf8');

describe('X12 271 parsing (005010X279A1 samples in src/x12/samples)', () => {
  it('reads Medicare Part B active coverage with remaining deductible and 20 % coinsurance', () => {
    const [response] = parse271(sample('01-medicare-active.x12'));
    expect(response!.payer).toEqual({ name: 'CMS MEDICARE', id: 'CMS' });
    expect(response!.subscriber).toEqual({ lastName: 'DOE', firstName: 'JANE', memberId: '1EG4TE5MK72', birthDate: '1950-01-01' });
    expect(response!.traceNumbers).toEqual(['TRC0001']);
    expect(response!.planDates).toContainEqual({ qualifier: '307', value: '20260101-20261231' });
    expect(response!.benefits.map((b) => b.code)).toEqual(['1', 'C', 'C', 'A', '1']);
    expect(response!.benefits[4]!.serviceTypes).toEqual(['98', 'MH']);
    expect(costShareFor(response!, '98')).toEqual({
      status: 'active', coinsurancePercent: 20, deductibleRemaining: 125.5, nonCovered: false, rejections: [],
      benefits: [
        { kind: 'deductible', coverageLevel: 'individual', period: 'calendar-year', amount: 283, serviceTypes: ['30'] },
        { kind: 'deductible', coverageLevel: 'individual', period: 'remaining', amount: 125.5, serviceTypes: ['30'] },
        { kind: 'coinsurance', coverageLevel: 'individual', period: 'visit', percent: 20, serviceTypes: ['30'] },
      ],
    });
  });

  it('reads a commercial plan with several EB loops: in-network copay per service type, individual remaining deductible, messages', () => {
    const [response] = parse271(sample('02-commercial-multiple-eb.x12'));
    expect(response!.benefits).toHaveLength(9);
    const copay = response!.benefits.find((b) => b.code === 'B' && b.serviceTypes.includes('98'))!;
    expect(copay).toMatchObject({ amount: 25, period: '27', inNetwork: 'Y', messages: ['TELEHEALTH VISITS SAME COPAY AS OFFICE'] });
    expect(response!.benefits.find((b) => b.code === 'A')).toMatchObject({ percent: 0.4, inNetwork: 'N' });
    expect(costShareFor(response!, '98')).toMatchObject({
      status: 'active', copay: 25, deductibleRemaining: 600, outOfPocketRemaining: 2400, nonCovered: false, rejections: [],
    });
    expect(costShareFor(response!, '98').benefits).toHaveLength(6);
    expect(costShareFor(response!, 'MH').copay).toBe(10);
  });

  it('reads a rejection at subscriber level: subscriber not found, correct and resubmit', () => {
    const [response] = parse271(sample('03-rejected-subscriber-not-found.x12'));
    expect(response!.rejections).toEqual([
      { level: 'subscriber', valid: false, reasonCode: '75', reason: 'Subscriber/insured not found', followUp: 'please-correct-and-resubmit' },
    ]);
    expect(costShareFor(response!, '30').status).toBe('rejected');
  });

  it('reads a payer that cannot answer now (AAA 42 at information-source level)', () => {
    const [response] = parse271(sample('04-rejected-payer-unavailable.x12'));
    expect(response!.rejections).toEqual([
      { level: 'source', valid: false, reasonCode: '42', reason: 'Unable to respond at current time', followUp: 'resubmission-allowed' },
    ]);
    expect(response!.benefits).toEqual([]);
  });

  it('reads inactive coverage with its end date', () => {
    const [response] = parse271(sample('05-inactive.x12'));
    expect(costShareFor(response!, '30').status).toBe('inactive');
    expect(response!.planDates).toContainEqual({ qualifier: '347', value: '20260630' });
  });

  it('reads a non-covered service type next to active coverage', () => {
    const [response] = parse271(sample('06-active-mental-health-not-covered.x12'));
    expect(costShareFor(response!, 'MH')).toMatchObject({ status: 'active', nonCovered: true });
    expect(costShareFor(response!, '98')).toMatchObject({ status: 'active', nonCovered: false, copay: 30 });
    expect(response!.benefits.find((b) => b.code === 'I')!.messages).toEqual(['BEHAVIORAL HEALTH CARVED OUT TO ANOTHER VENDOR']);
  });

  it('reads an invalid member id rejection', () => {
    const [response] = parse271(sample('07-invalid-member-id.x12'));
    expect(response!.rejections[0]).toMatchObject({ reasonCode: '72', reason: 'Invalid/missing subscriber/insured ID' });
  });

  it('takes the delimiters from the ISA segment', () => {
    const text = sample('01-medicare-active.x12').replace(/\*/g, '|').replace(/~/g, '\n');
    const [response] = parse271(text);
    expect(response!.subscriber?.memberId).toBe('1EG4TE5MK72');
  });

  it('refuses text that is not an X12 interchange', () => {
    expect(() => parse271('hello')).toThrow(X12FormatError);
  });

  it('refuses a 270 given as a 271', () => {
    const inquiry = build270(inquiryFixture());
    expect(() => parse271(inquiry)).toThrow(/ST01 is 270/);
  });
});

function inquiryFixture() {
  return {
    interchangeControlNumber: 42,
    senderId: 'CAREBRIDGE',
    receiverId: 'CMS',
    createdAt: new Date('2026-11-22T10:30:00Z'),
    traceNumber: 'TRC0042',
    traceOriginatorId: '1123456789',
    payer: { name: 'CMS MEDICARE', id: 'CMS' },
    provider: { name: 'CAREBRIDGE CLINIC', npi: '1234567893' },
    subscriber: { memberId: '1EG4TE5MK72', lastName: 'DOE', firstName: 'JANE', birthDate: '1950-01-01' },
    dateOfService: '2027-05-01',
    serviceTypes: ['30', '98'],
  };
}

describe('X12 270 generation', () => {
  const text = build270(inquiryFixture());
  const { segments } = segmentsOf(text);

  it('writes a fixed-width ISA and matching control numbers', () => {
    const isa = text.slice(0, text.indexOf('~'));
    expect(isa).toHaveLength(105);
    expect(segments[0]![13]).toBe('000000042');
    expect(segments.at(-1)).toEqual(['IEA', '1', '000000042']);
    expect(segments.find((s) => s[0] === 'GS')).toEqual(['GS', 'HS', 'CAREBRIDGE', 'CMS', '20261122', '1030', '42', 'X', '005010X279A1']);
  });

  it('counts the transaction set segments in SE01', () => {
    const st = segments.findIndex((s) => s[0] === 'ST');
    const se = segments.findIndex((s) => s[0] === 'SE');
    expect(Number(segments[se]![1])).toBe(se - st + 1);
  });

  it('asks for the subscriber, the date of service and the service types 30 and the visit\'s', () => {
    expect(segments.find((s) => s[0] === 'NM1' && s[1] === 'IL')).toEqual(['NM1', 'IL', '1', 'DOE', 'JANE', '', '', '', 'MI', '1EG4TE5MK72']);
    expect(segments.find((s) => s[0] === 'DTP')).toEqual(['DTP', '291', 'D8', '20270501']);
    expect(segments.find((s) => s[0] === 'DMG')).toEqual(['DMG', 'D8', '19500101']);
    expect(segments.find((s) => s[0] === 'EQ')).toEqual(['EQ', '30^98']);
    expect(segments.find((s) => s[0] === 'HL' && s[3] === '22')).toEqual(['HL', '3', '2', '22', '0']);
  });
});

describe('X12 270 framing and trace (issue 18)', () => {
  it('ends with the IEA segment terminator and nothing after it (x12-parser read a trailing newline as an empty segment)', () => {
    const text = build270(inquiryFixture());
    expect(text.endsWith('IEA*1*000000042~')).toBe(true);
    expect(text).not.toMatch(/[\r\n]/);
  });

  it('puts a configured suffix after every segment terminator, the last one included', () => {
    const text = build270({ ...inquiryFixture(), segmentSuffix: '\r\n' });
    expect(text.endsWith('IEA*1*000000042~\r\n')).toBe(true);
    expect(text.split('~\r\n')).toHaveLength(segmentsOf(text).segments.length + 1);
  });

  it('writes the configured trace originator (TRN03: 1 + EIN), not one derived from the sender id', () => {
    const { segments } = segmentsOf(build270(inquiryFixture()));
    expect(segments.find((s) => s[0] === 'TRN')).toEqual(['TRN', '1', 'TRC0042', '1123456789']);
  });

  it('refuses a TRN03 that is not 10 characters led by 1 (EIN), 3 (DUNS) or 9 (user assigned)', () => {
    for (const bad of ['123456789', '2123456789', '1ABCDEFGHI', '11234567890']) {
      expect(() => build270({ ...inquiryFixture(), traceOriginatorId: bad })).toThrow(X12TraceOriginatorError);
    }
  });
});
