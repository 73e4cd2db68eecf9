import { EligibilityDetermined, FollowUpRequested } from '@carebridge/contracts';
import type { PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost, connectIntegrationEvents, trackMessaging, type MessageBroker } from '@carebridge/messaging';
import { FileBlobStore, jwtAuthOptions, loadConfig, type ServiceDefinition } from '@carebridge/platform';
import { systemClock } from './clock.port';
import { schedulingOpenApi } from './openapi/scheduling.openapi';
import { SCHEDULING_SCHEMA, schedulingConfig } from './config';
import { SCHEDULING_TOPICS } from './integration/scheduling.publisher';
import { ChannelNotifier } from './notifications/channel-notifier.adapter';
import { LogNotifier } from './notifications/log-notifier.adapter';
import { PostgresPatientContacts } from './notifications/postgres-patient-contacts.adapter';
import { SmtpNotifier } from './notifications/smtp-notifier.adapter';
import { TwilioSmsNotifier } from './notifications/twilio-sms-notifier.adapter';
import { migrateScheduling } from './scheduling.migrate';
import { SchedulingModule } from './scheduling.module';
import { EVENT_STORE } from './scheduling.tokens';

/** The scheduling service as both runtime profiles start it (composition root). */
export const schedulingService: ServiceDefinition<MessageBroker> = {
  name: 'scheduling',
  schema: SCHEDULING_SCHEMA,
  // Ours, and the ones we consume (so a consumer can subscribe before billing-eligibility or visits first starts).
  topics: [...SCHEDULING_TOPICS, EligibilityDetermined.topic, FollowUpRequested.topic],
  migrate: (pool) => migrateScheduling(pool, SCHEDULING_SCHEMA),
  module(runtime) {
    const config = loadConfig(schedulingConfig, runtime.env);
    if (!runtime.jobs) throw new Error('scheduling needs a jobs connection (REDIS_URL)');
    const { logger } = runtime;
    const contacts = new PostgresPatientContacts(runtime.pool, SCHEDULING_SCHEMA);
    const log = new LogNotifier(logger);
    const notifier = new ChannelNotifier({
      email: config.SCHEDULING_SMTP_URL ? new SmtpNotifier({ url: config.SCHEDULING_SMTP_URL, from: config.SCHEDULING_SMTP_FROM, contacts, logger }) : log,
      sms: config.SCHEDULING_SMS_TWILIO_ACCOUNT_SID
        ? new TwilioSmsNotifier({
            apiUrl: config.SCHEDULING_SMS_API_URL,
            accountSid: config.SCHEDULING_SMS_TWILIO_ACCOUNT_SID,
            authToken: config.SCHEDULING_SMS_TWILIO_AUTH_TOKEN!,
            ...(config.SCHEDULING_SMS_TWILIO_KEY_SID !== undefined && { keySid: config.SCHEDULING_SMS_TWILIO_KEY_SID }),
            ...(config.SCHEDULING_SMS_FROM !== undefined && { from: config.SCHEDULING_SMS_FROM }),
            ...(config.SCHEDULING_SMS_MESSAGING_SERVICE_SID !== undefined && { messagingServiceSid: config.SCHEDULING_SMS_MESSAGING_SERVICE_SID }),
            contacts,
            logger,
          })
        : log,
    });
    return SchedulingModule.register({
      contacts,
      pool: runtime.pool,
      schema: SCHEDULING_SCHEMA,
      auth: jwtAuthOptions(config),
      logger,
      checks: [...runtime.checks],
      clock: systemClock,
      messaging: { kafka: runtime.kafka, groupId: 'scheduling' },
      policy: {
        holdMinutes: config.HOLD_MINUTES,
        waitlistOfferMinutes: config.WAITLIST_OFFER_MINUTES,
        attendance: {
          checkInOpensMinutesBefore: config.CHECK_IN_OPENS_MINUTES_BEFORE,
          graceMinutes: config.NO_SHOW_GRACE_MINUTES,
        },
      },
      blobStore: new FileBlobStore(config.BLOB_DIR),
      jobs: {
        connection: runtime.jobs,
        notifier,
        reminderMinutesBefore: config.REMINDER_MINUTES_BEFORE,
        channels: config.REMINDER_CHANNELS,
        joinBaseUrl: config.JOIN_BASE_URL,
        rescheduleBaseUrl: config.RESCHEDULE_BASE_URL,
        onError: (error) => logger.warn({ err: error }, 'appointment job attempt failed'),
        logger,
      },
    });
  },
  openApi: () => schedulingOpenApi(),
  // billing-eligibility's answers and visits' events reach their consumers through the integration events transport.
  prepare: connectIntegrationEvents,
  instrument(app, metrics) {
    trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), 'scheduling');
  },
};
