import { isIsoDate } from '@carebridge/platform';
import type { AppointmentRow } from '../appointment/appointments.projection';

/** FHIR R4 read-only views (https://hl7.org/fhir/R4/appointment.html, slot.html, schedule.html). */

// Our status -> FHIR R4 AppointmentStatus (https://hl7.org/fhir/R4/valueset-appointmentstatus.html).
const APPOINTMENT_STATUS: Readonly<Record<string, string>> = {
  booked: 'booked',
  'checked-in': 'arrived',
  cancelled: 'cancelled',
  'no-show': 'noshow',
};

export function fhirAppointment(row: AppointmentRow) {
  return {
    resourceType: 'Appointment',
    id: row.appointmentId,
    status: APPOINTMENT_STATUS[row.status] ?? 'booked',
    start: row.start,
    end: row.end,
    slot: [{ reference: `Slot/${slotId(row.providerId, row.start)}` }],
    participant: [
      { actor: { reference: `Patient/${row.patientId}` }, status: 'accepted' },
      { actor: { reference: `Practitioner/${row.providerId}` }, status: 'accepted' },
      ...row.additionalProviderIds.map((id) => ({ actor: { reference: `Practitioner/${id}` }, status: 'accepted' })),
    ],
  };
}

/** Slots have no stored id: `<providerId>.<epoch ms of start>` names one stably. */
export const slotId = (providerId: string, start: string): string => `${providerId}.${Date.parse(start)}`;

export function fhirSlot(slot: { providerId: string; start: string; end: string; busy: boolean }) {
  return {
    resourceType: 'Slot',
    id: slotId(slot.providerId, slot.start),
    schedule: { reference: `Schedule/${slot.providerId}` },
    status: slot.busy ? 'busy' : 'free',
    start: slot.start,
    end: slot.end,
  };
}

export function fhirSchedule(provider: { providerId: string; specialties: readonly string[]; timeZone: string }) {
  return {
    resourceType: 'Schedule',
    id: provider.providerId,
    active: true,
    actor: [{ reference: `Practitioner/${provider.providerId}` }],
    specialty: provider.specialties.map((code) => ({ coding: [{ system: 'https://carebridge.dev/fhir/specialty', code }] })),
    comment: `Availability in time zone ${provider.timeZone}`,
  };
}

/** FHIR date search values (`ge2026-03-01`, `lt2026-03-08T00:00:00Z`) -> a half-open UTC range. */
export function dateRange(values: readonly string[]): { from?: Date; to?: Date } | undefined {
  let from: Date | undefined;
  let to: Date | undefined;
  for (const value of values) {
    const match = /^(ge|gt|le|lt|eq)?(\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?)$/.exec(value);
    if (!match || !isIsoDate(match[2]!.slice(0, 10))) return undefined;
    const instant = new Date(match[3] ? match[2]! : `${match[2]}T00:00:00Z`);
    if (Number.isNaN(instant.getTime())) return undefined;
    const dayAfter = new Date(instant.getTime() + (match[3] ? 1 : 86_400_000));
    switch (match[1] ?? 'eq') {
      case 'ge':
        from = instant;
        break;
      case 'gt':
        from = dayAfter;
        break;
      case 'lt':
        to = instant;
        break;
      case 'le':
        to = dayAfter;
        break;
      case 'eq':
        from = instant;
        to = dayAfter;
        break;
    }
  }
  return { ...(from && { from }), ...(to && { to }) };
}
