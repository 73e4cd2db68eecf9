import { telemetry } from './telemetry';
import { runDistributed } from '@carebridge/messaging';
import { prescriptionsService } from './prescriptions.service';

// Distributed profile: this service alone, on PostgreSQL, Kafka and Redis (tools/embedded runs all five in one process).
void runDistributed(prescriptionsService, { telemetry });
