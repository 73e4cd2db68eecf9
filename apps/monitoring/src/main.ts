import { telemetry } from './telemetry';
import { runDistributed } from '@carebridge/messaging';
import { monitoringService } from './monitoring.service';

// Distributed profile: this service alone, on PostgreSQL, Kafka and Redis (tools/embedded runs all five in one process).
void runDistributed(monitoringService, { telemetry });
