import { ConfigError, loadConfig } from '@carebridge/platform';
import { visitsConfig } from './config';

const base = {
  DATABASE_URL: 'postgres://visits@db:5432/carebridge',
  KAFKA_BROKERS: 'kafka:9092',
  JWT_ISSUER: 'https://issuer.test/',
  JWT_AUDIENCE: 'carebridge-api',
  JWKS_JSON: '{"keys":[]}',
};

describe('visits configuration', () => {
  it('has defaults for every rule and runs without a media server', () => {
    const config = loadConfig(visitsConfig, base);
    expect(config).toMatchObject({ ROOM_TOKEN_TTL_SECONDS: 300, NO_VIDEO_SWITCH_AFTER_SECONDS: 60, CHECK_IN_OPENS_MINUTES_BEFORE: 30 });
    expect(config.LIVEKIT_API_KEY).toBeUndefined();
  });

  it('wants the LiveKit key and secret together, the secret long enough', () => {
    expect(() => loadConfig(visitsConfig, { ...base, LIVEKIT_API_KEY: 'APIkey' })).toThrow(ConfigError);
    expect(() => loadConfig(visitsConfig, { ...base, LIVEKIT_API_KEY: 'APIkey', LIVEKIT_API_SECRET: 'short' })).toThrow(/LIVEKIT_API_SECRET/);
    expect(loadConfig(visitsConfig, { ...base, LIVEKIT_API_KEY: 'APIkey', LIVEKIT_API_SECRET: 'x'.repeat(32), LIVEKIT_URL: 'wss://media.example' }).LIVEKIT_URL).toBe(
      'wss://media.example',
    );
  });
});
