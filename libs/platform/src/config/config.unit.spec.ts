import { z } from 'zod';
import { ConfigError, EX_CONFIG, bootOrExit, loadConfig } from './load-config';
import {
  authSettings,
  databaseUrl,
  jwtAuthOptions,
  kafkaBrokers,
  logLevel,
  port,
  redisUrl,
  traceExporter,
} from './settings';

const schema = z.object({
  DATABASE_URL: databaseUrl,
  KAFKA_BROKERS: kafkaBrokers,
  REDIS_URL: redisUrl,
  PORT: port.default(3000),
  LOG_LEVEL: logLevel,
  OTEL_TRACES_EXPORTER: traceExporter,
  ...authSettings,
});

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/carebridge',
  KAFKA_BROKERS: '127.0.0.1:9092, kafka-1.internal:9093',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_ISSUER: 'https://id.carebridge.dev/',
  JWT_AUDIENCE: 'carebridge-api',
  JWKS_URL: 'https://id.carebridge.dev/.well-known/jwks.json',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(schema, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((p) => `${p.variable}: ${p.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns typed values with defaults applied', () => {
    const config = loadConfig(schema, valid);

    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092', 'kafka-1.internal:9093']);
    expect(config.PORT).toBe(3000);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.OTEL_TRACES_EXPORTER).toBe('otlp');
  });

  it('parses a port given as text', () => {
    expect(loadConfig(schema, { ...valid, PORT: '8081' }).PORT).toBe(8081);
  });

  it('names every missing variable as required', () => {
    expect(problemsOf({})).toEqual([
      'DATABASE_URL: required',
      'KAFKA_BROKERS: required',
      'REDIS_URL: required',
      'JWT_ISSUER: required',
      'JWT_AUDIENCE: required',
    ]);
  });

  it('treats an empty variable as missing', () => {
    expect(problemsOf({ ...valid, DATABASE_URL: '' })).toEqual(['DATABASE_URL: required']);
  });

  it('explains each invalid variable', () => {
    expect(
      problemsOf({
        ...valid,
        DATABASE_URL: 'mysql://db/carebridge',
        KAFKA_BROKERS: 'kafka-1,kafka-2:9092',
        REDIS_URL: 'not a url',
        PORT: '70000',
        LOG_LEVEL: 'loud',
        JWKS_URL: 'ftp://id.example/jwks',
      }),
    ).toEqual([
      'DATABASE_URL: must be a postgres:// or postgresql:// URL',
      'KAFKA_BROKERS: must be a comma-separated list of host:port',
      'REDIS_URL: must be a redis:// or rediss:// URL',
      'PORT: must be a port number between 1 and 65535',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      'JWKS_URL: must be an http(s) URL',
    ]);
  });

  it('puts every problem in the error message', () => {
    expect(() => loadConfig(schema, { ...valid, DATABASE_URL: undefined, PORT: 'http' })).toThrow(
      'Invalid configuration:\n  DATABASE_URL: required\n  PORT: must be a port number between 1 and 65535',
    );
  });
});

describe('bootOrExit', () => {
  function fakeIo() {
    const io = { written: '', codes: [] as number[] };
    return {
      io,
      stderr: { write: (text: string) => (io.written += text) },
      exit: (code: number) => void io.codes.push(code),
    };
  }

  it('returns what the boot function returns', async () => {
    const io = fakeIo();
    await expect(bootOrExit(() => loadConfig(schema, valid), io)).resolves.toMatchObject({ PORT: 3000 });
    expect(io.io.codes).toEqual([]);
  });

  it('prints a ConfigError and exits with EX_CONFIG', async () => {
    const io = fakeIo();
    await expect(bootOrExit(() => loadConfig(schema, {}), io)).rejects.toBeInstanceOf(ConfigError);
    expect(io.io.codes).toEqual([EX_CONFIG]);
    expect(io.io.written).toContain('  DATABASE_URL: required\n');
    expect(io.io.written).not.toContain('    at ');
  });

  it('exits with 1 when boot fails for another reason', async () => {
    const io = fakeIo();
    await expect(
      bootOrExit(async () => Promise.reject(new Error('database unreachable')), io),
    ).rejects.toThrow('database unreachable');
    expect(io.io.codes).toEqual([1]);
    expect(io.io.written).toContain('Boot failed: Error: database unreachable');
  });
});

describe('jwtAuthOptions', () => {
  const schema = z.object({ ...authSettings });
  const base = { JWT_ISSUER: 'https://idp.example', JWT_AUDIENCE: 'carebridge' };

  it('takes the key set from JWKS_URL or from inline JWKS_JSON', () => {
    expect(jwtAuthOptions(loadConfig(schema, { ...base, JWKS_URL: 'https://idp.example/jwks' })).jwks).toBe(
      'https://idp.example/jwks',
    );
    const inline = loadConfig(schema, { ...base, JWKS_JSON: '{"keys":[{"kty":"EC"}]}' });
    expect(jwtAuthOptions(inline).jwks).toEqual({ keys: [{ kty: 'EC' }] });
  });

  it('refuses both or neither, and a JWKS_JSON that is not a key set', () => {
    expect(() => jwtAuthOptions(loadConfig(schema, base))).toThrow(/JWKS_URL or JWKS_JSON/);
    expect(() => loadConfig(schema, { ...base, JWKS_JSON: '[1,2]' })).toThrow(/JWKS_JSON: must be a JSON Web Key Set/);
  });
});
