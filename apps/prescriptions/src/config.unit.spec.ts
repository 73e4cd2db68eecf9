import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { loadConfig } from '@carebridge/platform';
import { configSchema, pemBlocks } from './config';

const base = {
  DATABASE_URL: 'postgres://u@localhost:5432/db',
  KAFKA_BROKERS: 'localhost:9092',
  PORT: '3000',
  JWT_ISSUER: 'https://issuer.example',
  JWT_AUDIENCE: 'carebridge',
  JWKS_URL: 'https://issuer.example/jwks',
};
const pem = (): string => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;

describe('prescriptions configuration: keys', () => {
  it('leaves the keys unset when not configured (development keys are generated then)', () => {
    const config = loadConfig(configSchema, base);
    expect([config.PRESCRIPTIONS_SIGNING_KEY_PEM, config.PRESCRIPTIONS_OTP_KEY]).toEqual([undefined, undefined]);
  });

  it('accepts a 32-byte base64 OTP key and refuses another length', () => {
    expect(loadConfig(configSchema, { ...base, PRESCRIPTIONS_OTP_KEY: randomBytes(32).toString('base64') }).PRESCRIPTIONS_OTP_KEY).toBeDefined();
    expect(() => loadConfig(configSchema, { ...base, PRESCRIPTIONS_OTP_KEY: randomBytes(16).toString('base64') })).toThrow(/PRESCRIPTIONS_OTP_KEY/);
  });

  it('splits concatenated PEM public keys', () => {
    expect(pemBlocks(`${pem()}\n${pem()}`)).toHaveLength(2);
    expect(pemBlocks(undefined)).toEqual([]);
  });
});
