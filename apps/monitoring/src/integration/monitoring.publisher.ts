import {
  MonitoringAlertAcknowledged,
  MonitoringAlertEscalated,
  MonitoringAlertRaised,
  MonitoringAlertResolved,
  RpmPeriodClosed,
} from '@carebridge/contracts';
import type { RecordedEvent } from '@carebridge/event-store';
import { type EventPublisher, publish } from '@carebridge/messaging';
import type { AlertEvent } from '../alerts/alert.events';
import type { RpmEvent } from '../rpm/rpm.events';

/** Topics the service publishes to (created at boot). */
export const MONITORING_TOPICS = [MonitoringAlertRaised.topic, RpmPeriodClosed.topic] as const;

/**
 * Alerts and closed RPM periods go out; readings, enrolment and devices stay private (readings
 * are PHI at high volume: other services ask for what they need).
 */
export const monitoringPublisher: EventPublisher = (recorded: RecordedEvent) => {
  if (recorded.streamId.startsWith('alert-')) {
    const event = { type: recorded.type, data: recorded.data } as AlertEvent;
    switch (event.type) {
      case 'AlertRaised': {
        const d = event.data;
        return [
          publish(MonitoringAlertRaised, {
            alertId: d.alertId,
            patientId: d.patientId,
            ruleId: d.ruleId,
            severity: d.severity,
            kind: d.kind,
            readingIds: [...d.readingIds],
            ...(d.assigneeId !== undefined && { assigneeId: d.assigneeId }),
            measuredAt: d.measuredAt,
          }, recorded),
        ];
      }
      case 'AlertEscalated': {
        const d = event.data;
        return [publish(MonitoringAlertEscalated, { alertId: d.alertId, patientId: d.patientId, ruleId: d.ruleId, level: d.level, assigneeId: d.assigneeId }, recorded)];
      }
      case 'AlertAcknowledged': {
        const d = event.data;
        return [publish(MonitoringAlertAcknowledged, { alertId: d.alertId, patientId: d.patientId, ruleId: d.ruleId, acknowledgedBy: d.by }, recorded)];
      }
      case 'AlertResolved': {
        const d = event.data;
        return [publish(MonitoringAlertResolved, { alertId: d.alertId, patientId: d.patientId, ruleId: d.ruleId, resolvedBy: d.by }, recorded)];
      }
      case 'AlertUpdated':
        return [];
      default:
        return [];
    }
  }
  if (recorded.streamId.startsWith('rpm-') && recorded.type === 'RpmPeriodClosed') {
    const d = (recorded.data as RpmEvent['data']);
    return [
      publish(RpmPeriodClosed, {
        periodId: d.periodId,
        patientId: d.patientId,
        ...(d.practitionerId !== undefined && { practitionerId: d.practitionerId }),
        periodStart: d.periodStart,
        periodEnd: d.periodEnd,
        daysWithReadings: d.daysWithReadings,
        managementMinutes: d.managementMinutes,
        interpretationMinutes: d.interpretationMinutes,
        codes: d.codes.map((c) => ({ ...c })),
        reasonCodes: [...d.reasonCodes],
        ruleSet: { ...d.ruleSet },
        ...(d.managementMonths !== undefined && {
          managementMonths: d.managementMonths.map((m) => ({
            month: m.month,
            minutes: m.minutes,
            interactive: m.interactive,
            codes: m.codes.map((c) => ({ ...c })),
            reasonCodes: [...m.reasonCodes],
            ...(m.ruleSetVersion !== undefined && { ruleSetVersion: m.ruleSetVersion }),
          })),
        }),
      }, recorded),
    ];
  }
  return [];
};
