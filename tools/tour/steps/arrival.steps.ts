/** The tour's first steps: the platform is up, a provider opens an hour, a new patient arrives and searches. */
import { DateTime } from 'luxon';
import { call, token } from '../tour-client';
import { excerpt, TourFailure } from '../tour-output';
import { type TourStep } from '../tour-runner';
import { candidates, freeSlots, short } from '../tour-state';

export const platformIsUp: TourStep = {
  title: 'The platform is up',
  async run(state, note) {
    const health = await call<{ services: { name: string; ready: string }[] }>('GET', '/health');
    const names = health.body.services.map((s) => s.name);
    for (const s of health.body.services) {
      const ready = await call('GET', s.ready, { expect: [200, 503] });
      if (ready.status !== 200) throw new TourFailure(`${s.name} is not ready: ${excerpt(ready.body)}`);
    }
    note(`${names.length} services ready: ${names.join(', ')}`);
    if (!names.includes('monitoring')) note('monitoring is not part of this platform: the RPM steps will be skipped');
    state.services = new Set(names);
  },
};

// The visit needs an hour of the provider's day: a reminder goes out 60 minutes before the
// start (scheduling's REMINDER_MINUTES_BEFORE, default 1440,60). The provider opens extra video
// hours starting at the next whole minute W: the slot at W+60 has its 60-minute reminder due at
// W (seconds from now); the slot at W+15 is where the patient moves once reminded, so that
// check-in (15 min before in scheduling, 30 in visits) is open by then.
export const providerOpensExtraHours: TourStep = {
  title: 'A provider opens extra video hours this afternoon (scheduling)',
  async run(state, note) {
    const notes: string[] = [];
    for (const candidate of candidates()) {
      const { provider } = candidate;
      const now = DateTime.now().setZone(provider.timeZone);
      const opening = now.plus({ seconds: 8 }).startOf('minute').plus({ minutes: 1 });
      const closing = opening.plus({ minutes: 60 + provider.slotMinutes });
      if (closing.toISODate() !== opening.toISODate() || closing.hour === 0) {
        notes.push(`${provider.name}: ${opening.toFormat('HH:mm')} local is too close to midnight, next provider`);
        continue;
      }
      const providerToken = await token('provider', provider.providerId);
      const answer = await call('POST', `/scheduling/v1/providers/${provider.providerId}/availability/exceptions`, {
        token: providerToken,
        key: state.key(`extra-hours-${short(provider.providerId)}`),
        body: { date: opening.toISODate(), kind: 'extra-hours', start: opening.toFormat('HH:mm'), end: closing.toFormat('HH:mm') },
      });
      const visitSlot = opening.plus({ minutes: 60 }).toUTC().toISO()!;
      const earlySlot = opening.plus({ minutes: provider.slotMinutes }).toUTC().toISO()!;
      // An earlier run of the tour minutes ago may hold these times: then the next provider.
      const free = await freeSlots(providerToken, candidate.patientState, candidate.patientZone);
      if (!free.some((s) => s.startUtc === visitSlot) || !free.some((s) => s.startUtc === earlySlot)) {
        notes.push(`${provider.name}: ${opening.toFormat('HH:mm')} local is taken (an earlier tour?), next provider`);
        continue;
      }
      notes.unshift(`${provider.name} (${provider.timeZone}): extra hours ${opening.toFormat('yyyy-MM-dd HH:mm')}–${closing.toFormat('HH:mm')} local`);
      notes.forEach(note);
      note(`exceptions on record: ${answer.body.availability.exceptions.length}; slot length ${provider.slotMinutes} min`);
      state.plan = { ...candidate, providerToken, opening, visitSlot, earlySlot };
      state.ids.providerId = provider.providerId;
      return;
    }
    notes.forEach(note);
    throw new TourFailure('no seeded family-medicine provider can take a visit in the next hour (too close to local midnight, or taken by earlier tours: wait 15 minutes)');
  },
};

export const patientRecordsCoverage: TourStep = {
  title: 'The new patient records their Medicare Part B coverage and preferred pharmacy',
  async run(state, note) {
    const { patientId, runKey } = state;
    const patientToken = await token('patient', patientId);
    const coverage = await call('POST', `/billing-eligibility/v1/patients/${patientId}/coverages`, {
      token: patientToken,
      key: state.key('coverage'),
      body: {
        payerKind: 'medicare-part-b',
        payerId: 'CMS-MEDICARE-B',
        planName: 'Original Medicare Part B',
        memberId: `${Math.floor(Math.random() * 9) + 1}TR${runKey.slice(0, 4).toUpperCase().replace(/[^A-Z0-9]/g, 'X')}MK${Math.floor(Math.random() * 90 + 10)}`,
        effectiveFrom: '2026-01-01',
        order: 'primary',
      },
    });
    const preferred = await call('PUT', `/prescriptions/v1/patients/${patientId}/preferred-pharmacy`, {
      token: patientToken,
      key: state.key('preferred-pharmacy'),
      body: { ncpdpId: state.plan.pharmacy.ncpdpId },
    });
    note(`patient ${short(patientId)}… in ${state.plan.patientState}: ${coverage.body.coverage.planName}, member ${coverage.body.coverage.memberId}`);
    note(`preferred pharmacy ${excerpt(preferred.body.preferredPharmacy)}`);
  },
};

export const patientSearchesSlots: TourStep = {
  title: (state) => `The patient searches family-medicine video slots for a patient in ${state.plan.patientState}`,
  async run(state, note) {
    const { plan } = state;
    const { provider, patientState } = plan;
    const found = await freeSlots(await token('patient', state.patientId), patientState, plan.patientZone);
    const mine = found.filter((s) => s.providerId === provider.providerId);
    const visit = mine.find((s) => s.startUtc === plan.visitSlot);
    const early = mine.find((s) => s.startUtc === plan.earlySlot);
    note(`${found.length} free slots today and tomorrow (${new Set(found.map((s) => s.providerId)).size} provider(s) licensed in ${patientState}); ${mine.length} with ${provider.name}`);
    note(`first: ${excerpt(found.slice(0, 2))}`);
    if (!visit || !early) throw new TourFailure(`the extra-hours slots ${plan.earlySlot} and ${plan.visitSlot} are not offered as free`);
    note(`picked ${visit.start} (an hour from now) — ${early.start} is free too`);
    state.chosen = { visit, early };
  },
};
