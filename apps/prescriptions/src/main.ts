import { telemetry } from './telemetry';
import { kafkaMessaging } from '@carebridge/messaging';
import { runDistributed } from '@carebridge/platform';
import { prescriptionsService } from './prescriptions.service';

// Distributed profile: this service alone, on PostgreSQL, Kafka and Redis (tools/embedded runs all five in one process).
void runDistributed(prescriptionsService, { messaging: kafkaMessaging, telemetry });
