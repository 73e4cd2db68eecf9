// Shared given/when/then fixtures of the provider-day (calendar) decider specs (one clinic day, 2026-03-09).
import { DeciderSpecification } from '@carebridge/event-store';
import { at } from './support.fixtures';
import { type ProviderTerms, type ReserveTime, providerDayDecider } from '../src/provider-day/provider-day.decider';
import type { AppointmentTimeReserved, ProviderDayEvent } from '../src/provider-day/provider-day.events';

export const spec = DeciderSpecification.for(providerDayDecider);
export const providerId = 'prov-1';
export const slot9 = { start: '2026-03-09T13:00:00.000Z', end: '2026-03-09T13:30:00.000Z' };
export const slot930 = { start: '2026-03-09T13:30:00.000Z', end: '2026-03-09T14:00:00.000Z' };
export const terms: ProviderTerms = {
  providerId,
  licensedStates: ['NY'],
  modalities: ['video', 'phone'],
  offeredSlots: [slot9, slot930],
};
export const dayBefore = at('2026-03-08T12:00:00Z', { id: 'pat-1', role: 'patient' });

/** The lead provider's time for appt-1 (the day's half of BookAppointment). */
export const reserve = (overrides: Partial<ReserveTime['data']> = {}, metadata = dayBefore): ReserveTime => ({
  type: 'ReserveTime',
  data: { appointmentId: 'appt-1', patientId: 'pat-1', slot: slot9, terms, ...overrides },
  metadata,
});

export const reserved: AppointmentTimeReserved = {
  type: 'AppointmentTimeReserved',
  data: { appointmentId: 'appt-1', providerId, patientId: 'pat-1', start: slot9.start, end: slot9.end },
};

export const reservedAs = (overrides: Partial<AppointmentTimeReserved['data']>): AppointmentTimeReserved => ({
  ...reserved,
  data: { ...reserved.data, ...overrides },
});

export const heldBy = (patientId: string, holdId: string, expiresAt = '2026-03-08T12:10:00.000Z'): ProviderDayEvent => ({
  type: 'SlotHeld',
  data: { holdId, providerId, patientId, start: slot9.start, end: slot9.end, expiresAt },
});
