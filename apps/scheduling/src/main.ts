import { telemetry } from './telemetry';
import { runDistributed } from '@carebridge/messaging';
import { schedulingService } from './scheduling.service';

// Distributed profile: this service alone, on PostgreSQL, Kafka and Redis (tools/embedded runs all five in one process).
void runDistributed(schedulingService, { telemetry });
