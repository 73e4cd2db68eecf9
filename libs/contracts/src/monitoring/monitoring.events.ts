import { defineIntegrationEvent } from '../integration-event';
import { z } from 'zod';

/** Device gateways write readings here; monitoring consumes them. Keyed by device id (the gateway does not know the patient). */
export const MONITORING_READING_TOPIC = 'carebridge.monitoring.reading.v1';
export const MONITORING_ALERT_TOPIC = 'carebridge.monitoring.alert.v1';
export const MONITORING_RPM_PERIOD_TOPIC = 'carebridge.monitoring.rpm-period.v1';

const readingKind = z.enum([
  'blood-pressure',
  'heart-rate',
  'spo2',
  'blood-glucose',
  'body-weight',
  'body-temperature',
  'medication-intake',
]);

/** One reading as a device sends it: units as measured; monitoring normalises and codes it. */
export const deviceReading = z.object({
  type: readingKind,
  measuredAt: z.iso.datetime({ offset: true }),
  value: z.number().optional(),
  systolic: z.number().optional(),
  diastolic: z.number().optional(),
  unit: z.string().max(20).optional(),
  taken: z.boolean().optional(),
  rxnormCode: z.string().regex(/^\d{1,10}$/).optional(),
});

/**
 * A device gateway forwards what one device measured. Inbound: monitoring consumes it, so no
 * patient id travels here (the device's assignment at each reading's time decides the patient).
 */
export const DeviceReadingsReported = defineIntegrationEvent({
  context: 'monitoring',
  name: 'DeviceReadingsReported',
  version: 1,
  topic: MONITORING_READING_TOPIC,
  schema: z.object({
    deviceId: z.uuid(),
    readings: z.array(deviceReading).min(1).max(1_000),
  }),
  partitionKey: (d) => d.deviceId,
  description: 'A device gateway forwarded readings of one device (keyed by device id).',
});

const alertBase = {
  alertId: z.uuid(),
  patientId: z.uuid(),
  ruleId: z.string().min(1).max(80),
};

export const MonitoringAlertRaised = defineIntegrationEvent({
  context: 'monitoring',
  name: 'MonitoringAlertRaised',
  version: 1,
  topic: MONITORING_ALERT_TOPIC,
  schema: z.object({
    ...alertBase,
    severity: z.enum(['critical', 'high', 'moderate']),
    kind: z.enum(['threshold', 'trend', 'adherence']),
    readingIds: z.array(z.uuid()).min(1),
    assigneeId: z.uuid().optional(),
    measuredAt: z.iso.datetime({ offset: true }),
  }),
  partitionKey: (d) => d.patientId,
  subject: (d) => d.alertId,
  description: 'A care-plan rule fired for a patient; one open alert per rule per patient.',
});

export const MonitoringAlertEscalated = defineIntegrationEvent({
  context: 'monitoring',
  name: 'MonitoringAlertEscalated',
  version: 1,
  topic: MONITORING_ALERT_TOPIC,
  schema: z.object({ ...alertBase, level: z.int().positive(), assigneeId: z.uuid() }),
  partitionKey: (d) => d.patientId,
  subject: (d) => d.alertId,
  description: 'Not acknowledged in time: the alert went to the next member of the care team.',
});

export const MonitoringAlertAcknowledged = defineIntegrationEvent({
  context: 'monitoring',
  name: 'MonitoringAlertAcknowledged',
  version: 1,
  topic: MONITORING_ALERT_TOPIC,
  schema: z.object({ ...alertBase, acknowledgedBy: z.string().min(1) }),
  partitionKey: (d) => d.patientId,
  subject: (d) => d.alertId,
});

export const MonitoringAlertResolved = defineIntegrationEvent({
  context: 'monitoring',
  name: 'MonitoringAlertResolved',
  version: 1,
  topic: MONITORING_ALERT_TOPIC,
  schema: z.object({ ...alertBase, resolvedBy: z.string().min(1) }),
  partitionKey: (d) => d.patientId,
  subject: (d) => d.alertId,
});

const cpt = z.string().regex(/^\d{5}$/);
const billedCode = z.object({ code: cpt, units: z.int().positive() });
const reasonCode = z.string().regex(/^[A-Z_]+\.[A-Z0-9_]+$/);

/** A patient's 30-day RPM period closed: the codes it qualifies for under the named rule set. */
export const RpmPeriodClosed = defineIntegrationEvent({
  context: 'monitoring',
  name: 'RpmPeriodClosed',
  version: 1,
  topic: MONITORING_RPM_PERIOD_TOPIC,
  schema: z.object({
    periodId: z.uuid(),
    patientId: z.uuid(),
    practitionerId: z.uuid().optional(),
    periodStart: z.iso.date(),
    periodEnd: z.iso.date(),
    daysWithReadings: z.int().min(0).max(30),
    /** Management minutes billed with this close (the sum over `managementMonths` when present). */
    managementMinutes: z.int().min(0),
    interpretationMinutes: z.int().min(0),
    /** Every code of the close, management codes of the billed months included. */
    codes: z.array(billedCode),
    reasonCodes: z.array(reasonCode),
    ruleSet: z.object({ ruleSetId: z.string(), version: z.string(), source: z.string() }),
    /**
     * Management (99470/99457/99458) is per calendar month (UTC): the months billed with this
     * close, each month once, in the first period ending on or after the month's last day.
     * Optional: absent from producers that counted management minutes within the period.
     */
    managementMonths: z
      .array(
        z.object({
          month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
          minutes: z.int().min(0),
          interactive: z.boolean(),
          codes: z.array(billedCode),
          reasonCodes: z.array(reasonCode),
          ruleSetVersion: z.string().optional(),
        }),
      )
      .optional(),
  }),
  partitionKey: (d) => d.patientId,
  subject: (d) => d.periodId,
  description: 'An RPM period closed with the CPT codes it qualifies for (billing-eligibility checks coverage).',
});
