import { telemetry } from './telemetry';
import { kafkaMessaging } from '@carebridge/messaging';
import { runDistributed } from '@carebridge/platform';
import { schedulingService } from './scheduling.service';

// Distributed profile: this service alone, on PostgreSQL, Kafka and Redis (tools/embedded runs all five in one process).
void runDistributed(schedulingService, { messaging: kafkaMessaging, telemetry });
