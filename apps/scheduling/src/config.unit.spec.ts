import { ConfigError, loadConfig } from '@carebridge/platform';
import { schedulingConfig } from './config';

const env = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/carebridge',
  KAFKA_BROKERS: '127.0.0.1:9092',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_ISSUER: 'https://dev.carebridge.local/',
  JWT_AUDIENCE: 'carebridge-api',
  JWKS_JSON: '{"keys":[]}',
};

describe('scheduling config', () => {
  it('applies the clinic policy defaults', () => {
    const config = loadConfig(schedulingConfig, env);
    expect(config).toMatchObject({
      PORT: 3000,
      HOLD_MINUTES: 10,
      CHECK_IN_OPENS_MINUTES_BEFORE: 15,
      NO_SHOW_GRACE_MINUTES: 10,
      REMINDER_MINUTES_BEFORE: [1440, 60],
      REMINDER_CHANNELS: ['email'],
    });
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig(schedulingConfig, { ...env, REMINDER_MINUTES_BEFORE: '24h', REMINDER_CHANNELS: 'fax', HOLD_MINUTES: '-1' })).toThrow(
      expect.objectContaining({
        constructor: ConfigError,
        problems: expect.arrayContaining([
          expect.objectContaining({ variable: 'REMINDER_MINUTES_BEFORE' }),
          expect.objectContaining({ variable: 'REMINDER_CHANNELS' }),
          expect.objectContaining({ variable: 'HOLD_MINUTES' }),
        ]),
      }),
    );
  });

  it('leaves SMTP unset by default (log adapter) and accepts an smtp:// URL with a from-address', () => {
    expect(loadConfig(schedulingConfig, env).SCHEDULING_SMTP_URL).toBeUndefined();
    const config = loadConfig(schedulingConfig, { ...env, SCHEDULING_SMTP_URL: 'smtp://mailer:secret@mail.example:587', SCHEDULING_SMTP_FROM: 'Clinic <c@example.org>' });
    expect(config).toMatchObject({ SCHEDULING_SMTP_URL: 'smtp://mailer:secret@mail.example:587', SCHEDULING_SMTP_FROM: 'Clinic <c@example.org>' });
    expect(() => loadConfig(schedulingConfig, { ...env, SCHEDULING_SMTP_URL: 'https://mail.example' })).toThrow(ConfigError);
  });
});
