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

  describe('texts (Twilio)', () => {
    const sid = `AC${'a'.repeat(32)}`;
    const problemsOf = (extra: Record<string, string>): string[] => {
      try {
        loadConfig(schedulingConfig, { ...env, ...extra });
        return [];
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.variable).sort();
      }
    };

    it('are off by default and on with an account, its token and one sender, on https', () => {
      expect(loadConfig(schedulingConfig, env).SCHEDULING_SMS_TWILIO_ACCOUNT_SID).toBeUndefined();
      const config = loadConfig(schedulingConfig, { ...env, SCHEDULING_SMS_TWILIO_ACCOUNT_SID: sid, SCHEDULING_SMS_TWILIO_AUTH_TOKEN: 't', SCHEDULING_SMS_FROM: '+12125550199' });
      expect(config).toMatchObject({ SCHEDULING_SMS_API_URL: 'https://api.twilio.com', SCHEDULING_SMS_FROM: '+12125550199' });
    });

    it('name the variable that is missing, malformed or unsafe', () => {
      expect(problemsOf({ SCHEDULING_SMS_TWILIO_ACCOUNT_SID: sid })).toEqual(['SCHEDULING_SMS_FROM', 'SCHEDULING_SMS_TWILIO_AUTH_TOKEN']);
      expect(problemsOf({ SCHEDULING_SMS_TWILIO_ACCOUNT_SID: sid, SCHEDULING_SMS_TWILIO_AUTH_TOKEN: 't', SCHEDULING_SMS_FROM: '+12125550199', SCHEDULING_SMS_MESSAGING_SERVICE_SID: `MG${'b'.repeat(32)}` })).toEqual([
        'SCHEDULING_SMS_FROM',
      ]);
      expect(problemsOf({ SCHEDULING_SMS_TWILIO_ACCOUNT_SID: 'AC123', SCHEDULING_SMS_TWILIO_AUTH_TOKEN: 't', SCHEDULING_SMS_FROM: '212-555-0199', SCHEDULING_SMS_API_URL: 'http://api.twilio.com' })).toEqual([
        'SCHEDULING_SMS_API_URL',
        'SCHEDULING_SMS_FROM',
        'SCHEDULING_SMS_TWILIO_ACCOUNT_SID',
      ]);
      expect(problemsOf({ SCHEDULING_SMS_TWILIO_ACCOUNT_SID: sid, SCHEDULING_SMS_TWILIO_AUTH_TOKEN: 't', SCHEDULING_SMS_FROM: '+12125550199', SCHEDULING_SMS_API_URL: 'http://127.0.0.1:8080' })).toEqual([]);
    });
  });
});
