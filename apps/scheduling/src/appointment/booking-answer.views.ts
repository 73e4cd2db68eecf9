import { DateTime } from 'luxon';
import { z } from 'zod';
import { REVIEW_GUIDANCE, intakeTexts, triage } from '@carebridge/clinical-reference';
import type { EventStore } from '@carebridge/event-store';
import { loadProvider } from '../provider/provider.stream';
import type { Modality } from '../provider/provider.events';
import type { ReadModels } from '../read-models.projection';
import { inZone } from '../slot-search/search-query.schemas';
import type { AppointmentBooked, EmergencyRedirected, InPersonRedirected, Intake, IntakeTriage } from './appointment.events';

/**
 * What POST /v1/appointments (and /v1/appointment-series) answers, by triage disposition: answers,
 * not errors. The zod schemas are the OpenAPI response shapes (openapi.ts), and the builders below
 * are typed by them, so the document and the controller cannot drift apart.
 */
const finding = z.object({
  rule: z.string(),
  effect: z.enum(['emergency', 'in-person', 'needs-review', 'none']),
  status: z.enum(['affirmed', 'negated', 'historical', 'hypothetical']),
  via: z.enum(['code', 'text']),
  field: z.string().describe('where the words were written: reason, intake.description, intake.questions[n], symptoms'),
  phrase: z.string().describe("the patient's own words (or the symptom codes) that matched the rule"),
});

export const emergencyAnswerSchema = z.object({
  booked: z.literal(false),
  triage: z.object({
    disposition: z.literal('emergency'),
    crisis: z.boolean().describe('suicidal or self-harm statements: the guidance names the 988 Lifeline and 911'),
    redFlags: z.array(z.string()),
    guidance: z.string(),
    matches: z.array(finding),
    rulesVersion: z.string(),
  }),
});

const alternativeSlot = z.object({ providerId: z.string(), start: z.string(), end: z.string(), startUtc: z.string(), modality: z.literal('in-person') });

export const inPersonAnswerSchema = z.object({
  booked: z.literal(false),
  triage: z.object({ disposition: z.literal('in-person'), rules: z.array(z.string()), guidance: z.string(), matches: z.array(finding), rulesVersion: z.string() }),
  alternatives: z.object({
    timeZone: z.string(),
    providerOffersInPerson: z.boolean(),
    clinicAddress: z.record(z.string(), z.string()).optional(),
    slots: z.array(alternativeSlot).describe("free in-person slots of this provider, or of the clinic's providers of the same specialty; book one with modality in-person"),
    waitlist: z.object({ method: z.literal('POST'), path: z.literal('/v1/waitlist'), body: z.record(z.string(), z.unknown()) }).describe('a ready waitlist request for an in-person visit'),
  }),
});

export const bookedTriageSchema = z.object({
  disposition: z.enum(['needs-review', 'virtual-ok', 'in-person']),
  rules: z.array(z.string()),
  review: z.enum(['pending', 'not-needed']).describe('needs-review: a nurse or provider reviews the intake before the visit (GET /v1/triage-reviews)'),
  guidance: z.string().nullable(),
  matches: z.array(finding),
  rulesVersion: z.string(),
});

export type EmergencyAnswer = z.infer<typeof emergencyAnswerSchema>;
export type InPersonAnswer = z.infer<typeof inPersonAnswerSchema>;
export type BookedTriage = z.infer<typeof bookedTriageSchema>;

export function emergencyAnswer(d: EmergencyRedirected['data']): EmergencyAnswer {
  return {
    booked: false,
    triage: { disposition: 'emergency', crisis: d.crisis ?? false, redFlags: [...d.redFlags], guidance: d.guidance, matches: [...(d.matches ?? [])], rulesVersion: d.rulesSource },
  };
}

/** The triage part of a booked answer (needs-review carries the "how to get urgent help" guidance). */
export function bookedTriage(booking: AppointmentBooked['data'], language: 'en' | 'es' = 'en'): BookedTriage | undefined {
  const t: IntakeTriage | undefined = booking.triage;
  if (t === undefined) return undefined;
  const review = t.disposition === 'needs-review';
  return {
    disposition: t.disposition === 'emergency' ? 'needs-review' : t.disposition,
    rules: [...t.rules],
    review: review ? 'pending' : 'not-needed',
    guidance: review ? REVIEW_GUIDANCE[language] : null,
    matches: [...t.matches],
    rulesVersion: t.rulesVersion,
  };
}

/** Does this intake end the booking with an answer (emergency, or in person asked as video or phone)? */
export function triageRedirects(reason: string, intake: Intake, modality: Modality): boolean {
  const { disposition } = triage({ symptoms: intake.symptoms, texts: intakeTexts(reason, intake) });
  return disposition === 'emergency' || (disposition === 'in-person' && modality !== 'in-person');
}

/** The language of the intake, for the guidance of a booked answer. */
export function intakeLanguage(reason: string, intake: Intake): 'en' | 'es' {
  return triage({ symptoms: intake.symptoms, texts: intakeTexts(reason, intake) }).language;
}

const ALTERNATIVE_DAYS = 14;
const ALTERNATIVE_SLOTS = 5;

/**
 * In-person care offered in the same answer: the provider's own free slots in the next two weeks
 * when they see patients in person, else the clinic's providers of the same specialty; and a ready
 * waitlist request for an in-person visit.
 */
export async function inPersonAnswer(
  store: EventStore,
  readModels: ReadModels,
  d: InPersonRedirected['data'],
  patientState: string,
  now: Date,
): Promise<InPersonAnswer> {
  const provider = await loadProvider(store, d.providerId);
  const profile = provider.status === 'active' ? provider.profile : undefined;
  const timeZone = profile?.timeZone ?? 'UTC';
  const offersInPerson = profile?.modalities.includes('in-person') ?? false;
  const until = new Date(now.getTime() + ALTERNATIVE_DAYS * 86_400_000);
  const local = inZone(timeZone);
  let slots: { providerId: string; start: string; end: string }[] = [];
  if (offersInPerson) {
    slots = (await readModels.slots.forProvider(d.providerId, now, until, now)).filter((s) => !s.busy && Date.parse(s.start) > now.getTime()).slice(0, ALTERNATIVE_SLOTS);
  } else if (profile !== undefined && profile.specialties.length > 0) {
    const today = DateTime.fromJSDate(now, { zone: timeZone });
    const found = await readModels.slots.find({
      specialty: profile.specialties[0]!,
      modality: 'in-person',
      from: today.toISODate()!,
      to: today.plus({ days: ALTERNATIVE_DAYS - 1 }).toISODate()!,
      timeZone,
      pageSize: ALTERNATIVE_SLOTS,
      now,
    });
    slots = found.slots;
  }
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  return {
    booked: false,
    triage: { disposition: 'in-person', rules: [...d.rules], guidance: d.guidance, matches: [...d.matches], rulesVersion: d.rulesSource },
    alternatives: {
      timeZone,
      providerOffersInPerson: offersInPerson,
      ...(offersInPerson && profile?.clinicAddress !== undefined && { clinicAddress: { ...profile.clinicAddress } as Record<string, string> }),
      slots: slots.map((s) => ({ providerId: s.providerId, start: local(s.start), end: local(s.end), startUtc: s.start, modality: 'in-person' as const })),
      waitlist: {
        method: 'POST',
        path: '/v1/waitlist',
        body: {
          ...(offersInPerson || profile === undefined ? { providerId: d.providerId } : { specialty: profile.specialties[0] }),
          modality: 'in-person',
          patientState,
          from: today.toISODate()!,
          to: today.plus({ days: 30 }).toISODate()!,
          timeZone,
        },
      },
    },
  };
}
