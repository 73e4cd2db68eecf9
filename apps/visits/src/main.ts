import { telemetry } from './telemetry';
import { runDistributed } from '@carebridge/messaging';
import { visitsService } from './visits.service';

// Distributed profile: this service alone, on PostgreSQL and Kafka (the embedded profile runs all services in one process).
void runDistributed(visitsService, { telemetry });
