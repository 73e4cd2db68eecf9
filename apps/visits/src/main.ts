import { telemetry } from './telemetry';
import { kafkaMessaging } from '@carebridge/messaging';
import { runDistributed } from '@carebridge/platform';
import { visitsService } from './visits.service';

// Distributed profile: this service alone, on PostgreSQL and Kafka (the embedded profile runs all services in one process).
void runDistributed(visitsService, { messaging: kafkaMessaging, telemetry });
