import { telemetry } from './telemetry';
import { kafkaMessaging } from '@carebridge/messaging';
import { runDistributed } from '@carebridge/platform';
import { billingEligibilityService } from './billing-eligibility.service';

// Distributed profile: this service alone, on PostgreSQL, Kafka and Redis (tools/embedded runs all five in one process).
void runDistributed(billingEligibilityService, { messaging: kafkaMessaging, telemetry });
