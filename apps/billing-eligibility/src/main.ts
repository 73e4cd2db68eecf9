import { telemetry } from './telemetry';
import { runDistributed } from '@carebridge/messaging';
import { billingEligibilityService } from './billing-eligibility.service';

// Distributed profile: this service alone, on PostgreSQL, Kafka and Redis (tools/embedded runs all five in one process).
void runDistributed(billingEligibilityService, { telemetry });
