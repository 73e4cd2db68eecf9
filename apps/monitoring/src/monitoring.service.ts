import type { NestExpressApplication } from '@nestjs/platform-express';
import { DeviceReadingsReported, PrescriptionFillRecorded } from '@carebridge/contracts';
import type { PostgresEventStore } from '@carebridge/event-store';
import { MessagingHost, connectIntegrationEvents, trackMessaging, type MessageBroker } from '@carebridge/messaging';
import { jwtAuthOptions, loadConfig, type ServiceDefinition } from '@carebridge/platform';
import { monitoringOpenApi } from './openapi/monitoring.openapi';
import { systemClock } from './clock.port';
import { MONITORING_SCHEMA, monitoringConfig } from './config';
import { MONITORING_TOPICS } from './integration/monitoring.publisher';
import { migrateMonitoring } from './monitoring.migrate';
import { MAX_BATCH_BODY, MonitoringModule } from './monitoring.module';
import { EVENT_STORE, READING_INTAKE } from './monitoring.tokens';
import { RPM_CLOSE_DAILY } from './rpm/rpm-close.job';
import { registerIntakeMetrics } from './readings/reading-intake-metrics.adapter';
import type { ReadingIntake } from './readings/reading-intake.handler';

/** The monitoring service as both runtime profiles start it (composition root). */
export const monitoringService: ServiceDefinition<MessageBroker> = {
  name: 'monitoring',
  schema: MONITORING_SCHEMA,
  // Batches of 1,000 readings append in parallel.
  defaultPoolSize: 20,
  // Ours, and the ones we consume (so the consumers can subscribe before their producers first start).
  topics: [...MONITORING_TOPICS, DeviceReadingsReported.topic, PrescriptionFillRecorded.topic],
  migrate: (pool) => migrateMonitoring(pool, MONITORING_SCHEMA),
  module(runtime) {
    const config = loadConfig(monitoringConfig, runtime.env);
    const { logger } = runtime;
    return MonitoringModule.register({
      pool: runtime.pool,
      schema: MONITORING_SCHEMA,
      auth: jwtAuthOptions(config),
      checks: [...runtime.checks],
      clock: systemClock,
      messaging: { kafka: runtime.kafka, groupId: 'monitoring' },
      readingPartitionsConcurrently: config.READING_PARTITIONS_CONCURRENTLY,
      rpmClose: RPM_CLOSE_DAILY,
      ...(runtime.jobs && { jobs: runtime.jobs }),
      onError: (error) => logger.error({ err: error }, 'monitoring background work failed; retrying'),
    });
  },
  prepare(app) {
    // A batch of 1,000 readings is about 150 KB, above Express's 100 KB default; before init, Nest keeps this parser.
    (app as NestExpressApplication).useBodyParser('json', { limit: MAX_BATCH_BODY });
    // Pharmacy fills reach PrescriptionEventsConsumer through the integration events transport.
    connectIntegrationEvents(app);
  },
  openApi: () => monitoringOpenApi(),
  // A batch of 1,000 readings is about 150 KB; the gate reads JSON bodies up to this.
  inputLimits: { jsonBodyBytes: 2 * 1024 * 1024 },
  instrument(app, metrics) {
    trackMessaging(metrics, app.get(MessagingHost), app.get<symbol, PostgresEventStore>(EVENT_STORE), 'monitoring');
    registerIntakeMetrics(metrics.registry, app.get<symbol, ReadingIntake>(READING_INTAKE).counters);
  },
};
