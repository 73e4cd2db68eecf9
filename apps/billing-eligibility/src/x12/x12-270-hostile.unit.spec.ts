import { segmentsOf } from './x12.mapping';
import { X12ElementError, build270, type EligibilityInquiry } from './x12-270.mapping';

// Issue 22, finding 3: member id, plan name and payer id were copied verbatim into the 270; a `~`
// or `*` in them made an extra NM1*IL segment. The builder refuses every element with a separator.
const inquiry: EligibilityInquiry = {
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

const HOSTILE = ['M1~NM1*IL*1*EVIL*JOHN****MI*999~', 'A*B', 'A:B', 'A^B', 'A|B', 'A\nB', 'A\u0000B'];

describe('270 builder with hostile strings', () => {
  it('builds one NM1*IL segment from clean values', () => {
    const { segments } = segmentsOf(build270(inquiry));
    expect(segments.filter((s) => s[0] === 'NM1' && s[1] === 'IL')).toHaveLength(1);
  });

  it.each([
    ['subscriber.memberId', (v: string) => ({ ...inquiry, subscriber: { ...inquiry.subscriber, memberId: v } })],
    ['subscriber.lastName', (v: string) => ({ ...inquiry, subscriber: { ...inquiry.subscriber, lastName: v } })],
    ['subscriber.firstName', (v: string) => ({ ...inquiry, subscriber: { ...inquiry.subscriber, firstName: v } })],
    ['payer.name', (v: string) => ({ ...inquiry, payer: { ...inquiry.payer, name: v } })],
    ['payer.id', (v: string) => ({ ...inquiry, payer: { ...inquiry.payer, id: v } })],
    ['provider.name', (v: string) => ({ ...inquiry, provider: { ...inquiry.provider, name: v } })],
    ['traceNumber', (v: string) => ({ ...inquiry, traceNumber: v })],
    ['serviceTypes[1]', (v: string) => ({ ...inquiry, serviceTypes: ['30', v] })],
  ])('refuses %s holding any separator or control character, naming it', (field, withValue) => {
    for (const hostile of HOSTILE) {
      let refused: unknown;
      try {
        build270(withValue(hostile));
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(X12ElementError);
      expect(refused).toMatchObject({ code: 'X12.SEPARATOR_IN_ELEMENT', kind: 'invalid', field });
    }
  });

  it('refuses separators of the delimiters in use, not only the defaults', () => {
    const delimiters = { element: '|', repetition: '!', component: '>', segment: '\'' };
    expect(() => build270({ ...inquiry, subscriber: { ...inquiry.subscriber, memberId: "M1'NM1" } }, delimiters)).toThrow(X12ElementError);
    expect(() => build270({ ...inquiry, payer: { ...inquiry.payer, name: 'A!B' } }, delimiters)).toThrow(X12ElementError);
  });
});
