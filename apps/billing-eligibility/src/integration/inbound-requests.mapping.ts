import { dateInJurisdiction } from '@carebridge/shared-kernel';
import type { AppointmentBooked, AppointmentRescheduled, RpmPeriodClosed } from '@carebridge/contracts';
import type { EligibilityDetermined, EligibilityRequest, Modality } from '../eligibility/eligibility.events';

/**
 * Pure translation (no I/O): the eligibility requests other services' events imply. A fact the event does not carry
 * is named in `missingFacts` (its place holds a placeholder) and the answer is `unknown`.
 */

const MANAGEMENT_CODES = ['99457', '99458', '99470', '98979', '98980', '98981'];
// Remote therapeutic monitoring codes (98975-98986): a period billing only these is RTM.
const RTM_CODES = /^989(7[5-9]|8[0-6])$/;

const MODALITY_OF_BOOKING: Readonly<Record<typeof AppointmentBooked.Data['modality'], Modality | undefined>> = {
  video: 'video',
  phone: 'audio-only',
  // An in-person visit is not a telehealth service: no telehealth determination for it.
  'in-person': undefined,
};

/** The request a telehealth booking implies; undefined for an in-person visit. */
export function requestFromBooking(booked: typeof AppointmentBooked.Data): EligibilityRequest | undefined {
  const modality = MODALITY_OF_BOOKING[booked.modality];
  if (modality === undefined) return undefined;
  const missing: string[] = [];
  if (booked.serviceCodes === undefined) missing.push('serviceCodes');
  if (booked.patientSetting === undefined) missing.push('patientLocation.setting');
  if (booked.providerLicences === undefined) missing.push('provider.licences');
  return {
    patientId: booked.patientId,
    appointmentId: booked.appointmentId,
    ...(missing.length > 0 && { missingFacts: missing }),
    serviceCodes: booked.serviceCodes ?? [],
    modality,
    // No stated purpose: the rules take the one the service codes imply (or other).
    ...(booked.visitPurpose !== undefined && { purpose: booked.visitPurpose }),
    patientLocation: { state: booked.patientState, setting: booked.patientSetting ?? 'home' },
    provider: {
      providerId: booked.providerId,
      licences: (booked.providerLicences ?? []).map((l) => ({ state: l.state, ...(l.expiresOn !== undefined && { expiresOn: l.expiresOn }) })),
      billing: 'professional',
    },
    // The date of service is the visit's start as a calendar date where the patient is.
    dateOfService: dateInJurisdiction(booked.patientState, booked.startsAt),
    visitStartsAt: booked.startsAt,
  };
}

/**
 * The booking's request moved to the new time (same facts, new date of service). Facts the rules
 * could not judge at the old date are judged again (a date outside the rule sets may be inside now).
 */
export function requestMovedTo(previous: EligibilityRequest, moved: typeof AppointmentRescheduled.Data): EligibilityRequest {
  const { invalidFacts: _judgedAgain, ...facts } = previous;
  return { ...facts, dateOfService: dateInJurisdiction(previous.patientLocation.state, moved.startsAt), visitStartsAt: moved.startsAt };
}

/**
 * The request an RPM period close implies. RpmPeriodClosed names neither where the patient is nor
 * the practitioner's licences: both come from the patient's latest visit with that practitioner
 * that billing answered (scheduling's booking facts); without one they are missing facts.
 * Consent is given at enrolment (monitoring refuses enrolment without it); whether the patient is
 * established is not known here and is answered as a condition.
 */
export function requestFromRpmPeriod(period: typeof RpmPeriodClosed.Data, history: readonly EligibilityDetermined['data'][]): EligibilityRequest {
  const known = history.filter((d) => d.request.missingFacts === undefined && d.request.modality !== 'rpm');
  const withPractitioner = period.practitionerId === undefined ? undefined : known.filter((d) => d.request.provider.providerId === period.practitionerId).at(-1);
  const lastVisit = withPractitioner ?? known.at(-1);
  const codes = [...new Set([...period.codes.map((c) => c.code), ...(period.managementMonths ?? []).flatMap((m) => m.codes.map((c) => c.code))])];
  const missing: string[] = [];
  if (period.practitionerId === undefined) missing.push('provider.providerId');
  if (lastVisit === undefined) missing.push('patientLocation.state');
  if (withPractitioner === undefined) missing.push('provider.licences');
  // Older producers name no months: monitoring billing a management code means it saw the interaction.
  const interactive = period.managementMonths?.some((m) => m.interactive) ?? codes.some((c) => MANAGEMENT_CODES.includes(c));
  return {
    patientId: period.patientId,
    rpmPeriodId: period.periodId,
    ...(missing.length > 0 && { missingFacts: missing }),
    serviceCodes: codes,
    modality: codes.some((c) => RTM_CODES.test(c)) && !codes.some((c) => !RTM_CODES.test(c)) ? 'rtm' : 'rpm',
    patientLocation: { state: lastVisit?.request.patientLocation.state ?? 'XX', setting: 'home' },
    provider: {
      providerId: period.practitionerId ?? '00000000-0000-0000-0000-000000000000',
      licences: withPractitioner?.request.provider.licences ?? [],
      billing: 'professional',
    },
    dateOfService: period.periodEnd,
    rpm: {
      daysWithReadings: period.daysWithReadings,
      managementMinutes: period.managementMinutes,
      interactiveCommunication: interactive,
      interpretationMinutes: period.interpretationMinutes,
      consent: true,
    },
  };
}
