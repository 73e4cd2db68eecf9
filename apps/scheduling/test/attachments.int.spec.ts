import { createHash, randomUUID } from 'node:crypto';
import { type SchedulingTestApp, bookingBody, localDay, localInstant, registerProvider, startSchedulingApp } from './scheduling-app.fixtures';
import { appointmentStreamId } from '../src/appointment/appointment.stream';

let t: SchedulingTestApp;
beforeAll(async () => {
  t = await startSchedulingApp();
});
afterAll(async () => {
  await t.close();
});

// A PNG signature followed by arbitrary bytes: enough for the type check, which reads the signature.
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(randomUUID())]);

async function booked() {
  const { providerId, token } = await registerProvider(t);
  const patient = await t.patient();
  const response = await t
    .http()
    .post('/v1/appointments')
    .set('authorization', `Bearer ${patient.token}`)
    .set('idempotency-key', randomUUID())
    .send(bookingBody(providerId, localInstant(localDay(4), '09:00')))
    .expect(201);
  return { appointmentId: response.body.appointmentId as string, patient, providerToken: token, providerId };
}

describe('intake attachments', () => {
  it('stores a photo by content hash, once, and the provider reads it back (the read is recorded)', async () => {
    const { appointmentId, patient, providerToken } = await booked();
    const upload = () =>
      t.http().post(`/v1/appointments/${appointmentId}/attachments`).set('authorization', `Bearer ${patient.token}`).set('content-type', 'image/png').send(png);
    const first = await upload().expect(201);
    const sha256 = createHash('sha256').update(png).digest('hex');
    expect(first.body).toMatchObject({ sha256, contentType: 'image/png', sizeBytes: png.length, added: true });
    expect((await upload().expect(201)).body.added).toBe(false);

    const download = await t
      .http()
      .get(`/v1/appointments/${appointmentId}/attachments/${sha256}`)
      .query({ purpose: 'treatment' })
      .set('authorization', `Bearer ${providerToken}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(download.body as Buffer, png)).toBe(0);

    const intake = await t.http().get(`/v1/appointments/${appointmentId}/intake`).query({ purpose: 'treatment' }).set('authorization', `Bearer ${providerToken}`).expect(200);
    expect(intake.body.attachments).toEqual([{ sha256, contentType: 'image/png', sizeBytes: png.length }]);
    const events = await t.store.readStream(appointmentStreamId(appointmentId));
    expect(events.filter((e) => e.type === 'IntakeAttachmentAdded')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'IntakeRead')).toHaveLength(2);
  });

  it('attaches the same photo to two appointments of the same provider and day (each recorded on its appointment)', async () => {
    const { providerId } = await registerProvider(t);
    const book = async (time: string) => {
      const patient = await t.patient();
      const response = await t
        .http()
        .post('/v1/appointments')
        .set('authorization', `Bearer ${patient.token}`)
        .set('idempotency-key', randomUUID())
        .send(bookingBody(providerId, localInstant(localDay(5), time)))
        .expect(201);
      return { appointmentId: response.body.appointmentId as string, patient };
    };
    const first = await book('09:00');
    const second = await book('10:00');
    for (const { appointmentId, patient } of [first, second]) {
      const response = await t
        .http()
        .post(`/v1/appointments/${appointmentId}/attachments`)
        .set('authorization', `Bearer ${patient.token}`)
        .set('content-type', 'image/png')
        .send(png)
        .expect(201);
      expect(response.body).toMatchObject({ appointmentId, added: true });
    }
    for (const { appointmentId } of [first, second]) {
      const events = await t.store.readStream(appointmentStreamId(appointmentId));
      expect(events.filter((e) => e.type === 'IntakeAttachmentAdded').map((e) => (e.data as { appointmentId: string }).appointmentId)).toEqual([appointmentId]);
    }
    // The calendar holds only the time.
    const day = await t.store.readStream(`provider-day-${providerId}-${localDay(5)}`);
    expect(day.map((e) => e.type)).toEqual(['AppointmentTimeReserved', 'AppointmentTimeReserved']);
  });

  it('refuses a file whose bytes are not the declared type (422), another type (400), and too large (413)', async () => {
    const { appointmentId, patient } = await booked();
    const post = (type: string, body: Buffer | string) =>
      t.http().post(`/v1/appointments/${appointmentId}/attachments`).set('authorization', `Bearer ${patient.token}`).set('content-type', type).send(body);
    const renamed = await post('image/jpeg', png).expect(422);
    expect(renamed.body.code).toBe('ATTACHMENT.REFUSED');
    await post('application/pdf', Buffer.from('%PDF-1.7')).expect(400);
    const huge = Buffer.concat([png, Buffer.alloc(10 * 1024 * 1024)]);
    const tooLarge = await post('image/png', huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('only the patient of the appointment uploads', async () => {
    const { appointmentId } = await booked();
    const stranger = await t.patient();
    await t.http().post(`/v1/appointments/${appointmentId}/attachments`).set('authorization', `Bearer ${stranger.token}`).set('content-type', 'image/png').send(png).expect(404); // as if unknown (issue 14)
  });
});
