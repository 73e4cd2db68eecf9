// Shared given/when/then fixtures of the appointment decider specs (appt-1, booked for 2026-03-09 13:00Z).
import { DeciderSpecification } from '@carebridge/event-store';
import { CLINICAL_REFERENCE_VERSION as rulesVersion } from '@carebridge/clinical-reference';
import { appointmentDecider } from '../src/appointment/appointment.decider';
import type { BookAppointment } from '../src/appointment/appointment.commands';
import type { AppointmentBooked, AppointmentEvent } from '../src/appointment/appointment.events';
import { dayBefore, providerId, slot9, terms } from './provider-day.fixtures';

export { dayBefore, providerId, slot9, slot930, terms } from './provider-day.fixtures';

export const spec = DeciderSpecification.for(appointmentDecider);

export const book = (overrides: Partial<BookAppointment['data']> = {}, metadata = dayBefore): BookAppointment => ({
  type: 'BookAppointment',
  data: {
    appointmentId: 'appt-1',
    patientId: 'pat-1',
    slot: slot9,
    modality: 'video',
    patientState: 'NY',
    reason: 'rash',
    intake: { symptoms: ['skin-rash'] },
    terms,
    ...overrides,
  },
  metadata,
});

export const booked: AppointmentBooked = {
  type: 'AppointmentBooked',
  data: {
    appointmentId: 'appt-1',
    providerId,
    patientId: 'pat-1',
    start: slot9.start,
    end: slot9.end,
    modality: 'video',
    patientState: 'NY',
    reason: 'rash',
    intake: { symptoms: ['skin-rash'] },
    triage: { disposition: 'virtual-ok', rules: [], matches: [], rulesVersion },
  },
};

export const cancelled = (reasonCode = 'patient-request'): AppointmentEvent => ({
  type: 'AppointmentCancelled',
  data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, end: slot9.end, reasonCode },
});

export const checkedIn = (minutesLate = 0): AppointmentEvent => ({
  type: 'PatientCheckedIn',
  data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', minutesLate },
});
