import { AppointmentBooked } from '@carebridge/contracts';
import type { PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost, connectIntegrationEvents, trackMessaging, type MessageBroker } from '@carebridge/messaging';
import { jwtAuthOptions, loadConfig, type ServiceDefinition } from '@carebridge/platform';
import { visitsOpenApi } from './openapi/visits.openapi';
import { VISITS_SCHEMA, visitsConfig } from './config';
import { VISITS_TOPICS } from './integration/visits.publisher';
import { systemClock } from './clock.port';
import { migrateVisits } from './visits.migrate';
import { VisitsModule } from './visits.module';
import { EVENT_STORE } from './visits.tokens';

/** The visits service as both runtime profiles start it; visits.module.ts composes it. */
export const visitsService: ServiceDefinition<MessageBroker> = {
  name: 'visits',
  schema: VISITS_SCHEMA,
  // Ours, and the one we consume (so the consumer can subscribe before scheduling first starts).
  topics: [...VISITS_TOPICS, AppointmentBooked.topic],
  migrate: (pool) => migrateVisits(pool, VISITS_SCHEMA),
  module(runtime) {
    const config = loadConfig(visitsConfig, runtime.env);
    return VisitsModule.register({
      pool: runtime.pool,
      schema: VISITS_SCHEMA,
      auth: jwtAuthOptions(config),
      logger: runtime.logger,
      checks: runtime.checks,
      policy: {
        checkInOpensMinutesBefore: config.CHECK_IN_OPENS_MINUTES_BEFORE,
        checkInClosesMinutesAfterStart: config.CHECK_IN_CLOSES_MINUTES_AFTER_START,
        noVideoSwitchAfterSeconds: config.NO_VIDEO_SWITCH_AFTER_SECONDS,
        roomTokenTtlSeconds: config.ROOM_TOKEN_TTL_SECONDS,
        urgentCareAverageVisitMinutes: config.URGENT_CARE_AVERAGE_VISIT_MINUTES,
      },
      clock: systemClock,
      blobDir: config.BLOB_DIR,
      livekit:
        config.LIVEKIT_API_KEY !== undefined && config.LIVEKIT_API_SECRET !== undefined
          ? { apiKey: config.LIVEKIT_API_KEY, apiSecret: config.LIVEKIT_API_SECRET, ...(config.LIVEKIT_URL && { url: config.LIVEKIT_URL }) }
          : null,
      messaging: { kafka: runtime.kafka, groupId: 'visits' },
    });
  },
  openApi: () => visitsOpenApi(),
  // scheduling's appointment events reach SchedulingEventsConsumer through the integration events transport.
  prepare: connectIntegrationEvents,
  instrument(app, metrics) {
    trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), 'visits');
  },
};
