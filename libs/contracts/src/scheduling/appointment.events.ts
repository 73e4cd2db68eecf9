import { z } from 'zod';
import { defineIntegrationEvent } from '../integration-event';

// Minimum necessary PHI on Kafka: ids, times and codes; reason, intake text and symptoms stay in scheduling.
const TOPIC = 'carebridge.scheduling.appointment.v1';
const modality = z.enum(['video', 'phone', 'in-person']);
const usState = z.string().regex(/^[A-Z]{2}$/);

export const AppointmentBooked = defineIntegrationEvent({
  context: 'scheduling',
  name: 'AppointmentBooked',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    appointmentId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    modality,
    /** Where the patient will be at visit time: billing checks coverage and licensure against it. */
    patientState: usState,
    /** Set when the appointment is one occurrence of a recurring series. */
    seriesId: z.uuid().optional(),
    /** Set when the appointment is a seat in a group session. */
    groupSessionId: z.uuid().optional(),
    /**
     * Billing facts, all optional (added to v1 compatibly): what billing-eligibility needs to
     * answer "is this visit covered" without asking scheduling. Absent facts make the answer
     * `unknown` with the missing field named, never a guess.
     */
    /** CPT/HCPCS codes the clinic plans to bill for the visit. */
    serviceCodes: z.array(z.string().regex(/^[0-9A-Z]{5}$/)).min(1).max(20).optional(),
    /** Coverage categories with their own rules (tele-mental-health, SUD, ESRD, stroke); `other` otherwise. */
    visitPurpose: z.enum(['mental-health', 'sud', 'esrd-home-dialysis', 'acute-stroke', 'other']).optional(),
    /** Where the patient will be: at home (POS 10) or in a facility (POS 02). */
    patientSetting: z.enum(['home', 'facility']).optional(),
    /** The provider's licences as scheduling holds them; `expiresOn` when known. */
    providerLicences: z.array(z.object({ state: usState, expiresOn: z.iso.date().optional() })).max(60).optional(),
    /** Further providers of a multi-provider appointment (specialist consult, care team). */
    additionalProviderIds: z.array(z.uuid()).max(10).optional(),
  }),
  partitionKey: (d) => d.appointmentId,
  description: 'A slot was booked; visits opens a session, billing-eligibility checks coverage.',
});

export const AppointmentRescheduled = defineIntegrationEvent({
  context: 'scheduling',
  name: 'AppointmentRescheduled',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    appointmentId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid(),
    previousStartsAt: z.iso.datetime(),
    startsAt: z.iso.datetime(),
    endsAt: z.iso.datetime(),
    reasonCode: z.string().regex(/^[a-z][a-z0-9-]*$/),
  }),
  partitionKey: (d) => d.appointmentId,
  description: 'The appointment moved to another time with the same provider.',
});

export const AppointmentCancelled = defineIntegrationEvent({
  context: 'scheduling',
  name: 'AppointmentCancelled',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    appointmentId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid(),
    startsAt: z.iso.datetime(),
    reasonCode: z.string().regex(/^[a-z][a-z0-9-]*$/),
    cancelledBy: z.enum(['patient', 'provider', 'pharmacy', 'payer', 'ops', 'system']),
  }),
  partitionKey: (d) => d.appointmentId,
  description: 'The appointment was cancelled; its slot is free again.',
});

export const AppointmentCheckedIn = defineIntegrationEvent({
  context: 'scheduling',
  name: 'AppointmentCheckedIn',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    appointmentId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid(),
    minutesLate: z.number().int().min(0),
  }),
  partitionKey: (d) => d.appointmentId,
  description: 'The patient checked in to the waiting room (late when minutesLate > 0).',
});

export const AppointmentReminderSent = defineIntegrationEvent({
  context: 'scheduling',
  name: 'AppointmentReminderSent',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    appointmentId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid(),
    startsAt: z.iso.datetime(),
    minutesBefore: z.number().int().min(0),
    channels: z.array(z.enum(['sms', 'email'])).min(1),
  }),
  partitionKey: (d) => d.appointmentId,
  description: 'A reminder of the appointment was sent (once per appointment time and offset).',
});

export const AppointmentNoShow = defineIntegrationEvent({
  context: 'scheduling',
  name: 'AppointmentNoShow',
  version: 1,
  topic: TOPIC,
  schema: z.object({
    appointmentId: z.uuid(),
    patientId: z.uuid(),
    providerId: z.uuid(),
    startsAt: z.iso.datetime(),
  }),
  partitionKey: (d) => d.appointmentId,
  description: 'The patient had not checked in when the grace period ended.',
});
