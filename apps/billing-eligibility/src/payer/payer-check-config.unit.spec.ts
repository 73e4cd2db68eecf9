import { configSchema } from '../config';
import { payerCheckFrom } from './payer-check.config';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/carebridge',
  KAFKA_BROKERS: '127.0.0.1:9092',
  JWT_ISSUER: 'https://issuer.example',
  JWT_AUDIENCE: 'carebridge',
  JWKS_URL: 'https://issuer.example/jwks.json',
  PAYER_X12_URL: 'https://clearinghouse.example/270',
  X12_SENDER_ID: 'CAREBRIDGE',
  X12_RECEIVER_ID: 'ACME01',
  X12_PROVIDER_NAME: 'CAREBRIDGE CLINIC',
  X12_PROVIDER_NPI: '1234567893',
};

describe('payer connection settings (TRN03 and the 270 framing)', () => {
  it('needs the trace originator (TRN03) with a payer connection', () => {
    const parsed = configSchema.safeParse(base);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.message).join(' ')).toMatch(/X12_TRACE_ORIGINATOR_ID/);
  });

  it.each(['123456789', '2123456789', '1ABCDEFGHI'])('refuses %s as TRN03, naming the setting', (value) => {
    const parsed = configSchema.safeParse({ ...base, X12_TRACE_ORIGINATOR_ID: value });
    expect(parsed.error!.issues[0]!.path).toEqual(['X12_TRACE_ORIGINATOR_ID']);
  });

  it('passes 1 + EIN and the segment suffix to the payer check; no suffix by default', () => {
    const config = configSchema.parse({ ...base, X12_TRACE_ORIGINATOR_ID: '1123456789' });
    expect(payerCheckFrom(config)).toMatchObject({ traceOriginatorId: '1123456789', segmentSuffix: '' });
    expect(payerCheckFrom(configSchema.parse({ ...base, X12_TRACE_ORIGINATOR_ID: '1123456789', X12_SEGMENT_SUFFIX: 'crlf' }))!.segmentSuffix).toBe('\r\n');
  });
});
