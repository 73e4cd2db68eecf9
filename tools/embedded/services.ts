import type { MessageBroker } from '@carebridge/messaging';
import type { ServiceDefinition } from '@carebridge/platform';
import { billingEligibilityService } from '../../apps/billing-eligibility/src/billing-eligibility.service';
import { monitoringService } from '../../apps/monitoring/src/monitoring.service';
import { prescriptionsService } from '../../apps/prescriptions/src/prescriptions.service';
import { schedulingService } from '../../apps/scheduling/src/scheduling.service';
import { visitsService } from '../../apps/visits/src/visits.service';

/** Every service of the platform, in start order (consumers' topics are created by whoever starts first). */
export const ALL_SERVICES: readonly ServiceDefinition<MessageBroker>[] = [
  schedulingService,
  billingEligibilityService,
  prescriptionsService,
  visitsService,
  monitoringService,
];
