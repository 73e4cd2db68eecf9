import { EligibilityDetermined } from '@carebridge/contracts';
import type { RecordedEvent } from '@carebridge/event-store';
import { type EventPublisher, publish } from '@carebridge/messaging';
import type { EligibilityDetermined as StoredEligibilityDetermined } from '../eligibility/eligibility.events';

/** Private events -> integration events. Coverage changes stay private (member ids are PHI). */
export const billingEligibilityPublisher: EventPublisher = (event: RecordedEvent) => {
  switch (event.type) {
    case 'EligibilityDetermined': {
      const { determinationId, patientId, request, determination, changedFrom } = event.data as StoredEligibilityDetermined['data'];
      return [
        publish(
          EligibilityDetermined,
          {
            determinationId,
            patientId,
            ...(request.appointmentId !== undefined && { appointmentId: request.appointmentId }),
            ...(request.rpmPeriodId !== undefined && { rpmPeriodId: request.rpmPeriodId }),
            ...(determination.coverage !== undefined && {
              coverageId: determination.coverage.coverageId,
              payerKind: determination.coverage.payerKind,
            }),
            outcome: determination.outcome,
            ...(changedFrom !== undefined && { changedFrom }),
            serviceCodes: [...request.serviceCodes],
            dateOfService: determination.dateOfService,
            ...(determination.placeOfService !== undefined && { placeOfService: determination.placeOfService }),
            modifiers: [...determination.modifiers],
            ...(determination.billableCodes !== undefined && { billableCodes: [...determination.billableCodes] }),
            reasonCodes: [...new Set(determination.reasons.map((r) => r.code))],
            ruleSets: [...determination.ruleSets],
            asOf: determination.asOf,
          },
          event,
        ),
      ];
    }
    default:
      return [];
  }
};

export const PUBLISHED_TOPICS = [EligibilityDetermined.topic];
