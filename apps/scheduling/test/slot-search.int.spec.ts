import { DateTime } from 'luxon';
import { type SchedulingTestApp, ZONE, bookingBody, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';

let t: SchedulingTestApp;
beforeAll(async () => {
  t = await startSchedulingApp();
});
afterAll(async () => {
  await t.close();
});

const day = localDay(10);

let token: string;
beforeAll(async () => {
  token = (await t.patient()).token;
});

const search = (query: Record<string, string | number>) =>
  t.http().get('/v1/slots').query(query).set('authorization', `Bearer ${token}`);

describe('slot search', () => {
  let dermatologist: string;
  let psychiatrist: string;
  beforeAll(async () => {
    dermatologist = (await registerProvider(t)).providerId;
    psychiatrist = (await registerProvider(t, { specialties: ['psychiatry'], licensedStates: ['CA'], modalities: ['video'], clinicAddress: undefined })).providerId;
  });

  it('answers free slots of the specialty in the requester time zone', async () => {
    const response = await search({ specialty: 'dermatology', modality: 'video', patientState: 'NY', from: day, to: day, timeZone: 'America/Los_Angeles' }).expect(200);
    const slots = response.body.slots.filter((s: { providerId: string }) => s.providerId === dermatologist);
    expect(slots).toHaveLength(6);
    const first = slots[0];
    expect(first.startUtc).toBe(localInstant(day, '09:00'));
    // 09:00 in New York is 06:00 in Los Angeles, with the Los Angeles offset.
    const la = DateTime.fromISO(first.startUtc).setZone('America/Los_Angeles');
    expect(first.start).toBe(la.toISO({ suppressMilliseconds: true }));
    expect(first.start.slice(11, 16)).toBe('06:00');
    expect(response.body.slots.every((s: { providerId: string }) => s.providerId !== psychiatrist)).toBe(true);
  });

  it('offers telehealth only where the provider is licensed; in person ignores the patient state', async () => {
    const ca = await search({ specialty: 'psychiatry', modality: 'video', patientState: 'NY', from: day, to: day, timeZone: ZONE }).expect(200);
    expect(ca.body.slots).toEqual([]);
    const inPerson = await search({ specialty: 'dermatology', modality: 'in-person', from: day, to: day, timeZone: ZONE }).expect(200);
    expect(inPerson.body.slots.length).toBeGreaterThan(0);
    const phone = await search({ specialty: 'dermatology', modality: 'phone', patientState: 'NY', from: day, to: day, timeZone: ZONE }).expect(200);
    expect(phone.body.slots).toEqual([]);
  });

  it('pages through the results without repeating or losing a slot', async () => {
    const query = { specialty: 'dermatology', modality: 'video', patientState: 'NY', from: day, to: localDay(11), timeZone: ZONE };
    const all = (await search({ ...query, pageSize: 100 }).expect(200)).body.slots.map((s: { startUtc: string; providerId: string }) => `${s.startUtc}|${s.providerId}`);
    const paged: string[] = [];
    let pageToken: string | undefined;
    do {
      const page = await search({ ...query, pageSize: 5, ...(pageToken && { pageToken }) }).expect(200);
      expect(page.body.slots.length).toBeLessThanOrEqual(5);
      paged.push(...page.body.slots.map((s: { startUtc: string; providerId: string }) => `${s.startUtc}|${s.providerId}`));
      pageToken = page.body.nextPageToken;
    } while (pageToken);
    expect(paged).toEqual(all);
    expect(all).toHaveLength(12);
  });

  it('leaves out booked slots', async () => {
    const patient = await t.patient();
    await t
      .http()
      .post('/v1/appointments')
      .set('authorization', `Bearer ${patient.token}`)
      .set('idempotency-key', `search-${dermatologist}`)
      .send(bookingBody(dermatologist, localInstant(day, '11:30')))
      .expect(201);
    const response = await search({ specialty: 'dermatology', modality: 'video', patientState: 'NY', from: day, to: day, timeZone: ZONE }).expect(200);
    expect(response.body.slots.map((s: { startUtc: string }) => s.startUtc)).not.toContain(localInstant(day, '11:30'));
    expect(response.body.slots).toHaveLength(5);
  });

  it('answers 400 naming the query fields', async () => {
    const response = await search({ specialty: 'dermatology', modality: 'video', from: day, to: '2020-01-01', timeZone: 'Nowhere/Land' }).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['patientState', 'timeZone', 'to']);
    const second = await search({ specialty: 'dermatology', modality: 'video', from: day, to: day, timeZone: ZONE }).expect(400);
    expect(second.body.errors.map((e: { field: string }) => e.field)).toEqual(['patientState']);
  });
});
