import { TokenVerifier } from 'livekit-server-sdk';
import { LIVEKIT, type VisitsTestApp, startVisitsApp, visitInProgress } from './visits-app.fixtures';

let t: VisitsTestApp;
beforeAll(async () => {
  t = await startVisitsApp({ policy: { roomTokenTtlSeconds: 2, noVideoSwitchAfterSeconds: 60 } });
});
afterAll(async () => {
  await t.close();
});

const verifier = new TokenVerifier(LIVEKIT.apiKey, LIVEKIT.apiSecret);

describe('video room', () => {
  it('issues per-participant tokens bound to the visit room, which expire and are refused once the visit ended', async () => {
    const { visitId, patient, provider } = await visitInProgress(t);
    const issued = await t.http().post(`/v1/visits/${visitId}/room-token`).set('authorization', patient.auth).expect(201);
    const claims = await verifier.verify(issued.body.token);
    expect(claims.sub).toBe(patient.patientId);
    expect(claims.video).toMatchObject({ room: visitId, roomJoin: true, roomAdmin: false, roomCreate: false });
    expect(claims.exp! - claims.nbf!).toBe(2);
    expect(issued.body).toMatchObject({ room: visitId, identity: patient.patientId, expiresAt: new Date(claims.exp! * 1000).toISOString() });

    const providers = await t.http().post(`/v1/visits/${visitId}/room-token`).set('authorization', provider.auth).expect(201);
    expect((await verifier.verify(providers.body.token)).sub).toBe(provider.providerId);

    // Someone who is not in the visit gets no token.
    const stranger = await t.patient();
    await t.http().post(`/v1/visits/${visitId}/room-token`).set('authorization', stranger.auth).expect(403);

    // Expired: the SDK's verification (what a LiveKit server does) refuses it, here without the
    // default allowance for clock skew so the test need not wait for it.
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    await expect(verifier.verify(issued.body.token, 0)).rejects.toThrow(/exp/);

    await t
      .http()
      .post(`/v1/visits/${visitId}/complete`)
      .set('authorization', provider.auth)
      .send({ disposition: 'resolved', instructions: 'Rest and fluids' })
      .expect(200);
    const refused = await t.http().post(`/v1/visits/${visitId}/room-token`).set('authorization', patient.auth).expect(409);
    expect(refused.body).toMatchObject({ code: 'VISIT.WRONG_STATE', detail: expect.stringMatching(/^The visit is ended/) });

    const events = await t.store.readStream(`visit-${visitId}`);
    expect(events.filter((e) => e.type === 'RoomTokenIssued').map((e) => (e.data as { participantId: string }).participantId)).toEqual([
      patient.patientId,
      provider.providerId,
    ]);
  });

  it('records a disconnect and reconnect, and switches to phone after the configured time without video, keeping the record', async () => {
    const { visitId, patient, provider } = await visitInProgress(t);
    await t
      .http()
      .post(`/v1/visits/${visitId}/vitals`)
      .set('authorization', patient.auth)
      .set('idempotency-key', 'vitals-before-drop')
      .send({ measuredAt: t.clock.now().toISOString(), heartRate: { value: 88, unit: '/min' } })
      .expect(201);
    const connection = (auth: string, status: string) => t.http().post(`/v1/visits/${visitId}/connection`).set('authorization', auth).send({ status });

    expect((await connection(patient.auth, 'disconnected').expect(200)).body.disconnected).toEqual([patient.patientId]);
    expect((await connection(patient.auth, 'reconnected').expect(200)).body.disconnected).toEqual([]);
    await connection(patient.auth, 'disconnected').expect(200);

    const tooSoon = await t.http().post(`/v1/visits/${visitId}/modality`).set('authorization', provider.auth).send({ to: 'phone', reason: 'no-video' }).expect(422);
    expect(tooSoon.body.code).toBe('VISIT.VIDEO_NOT_LOST_LONG_ENOUGH');

    t.clock.advance(61);
    const switched = await t.http().post(`/v1/visits/${visitId}/modality`).set('authorization', provider.auth).send({ to: 'phone', reason: 'no-video' }).expect(200);
    expect(switched.body).toEqual({ visitId, status: 'in-progress', modality: 'phone' });

    // A phone visit has no video room.
    await t.http().post(`/v1/visits/${visitId}/room-token`).set('authorization', patient.auth).expect(422);

    const record = await t.http().get(`/v1/visits/${visitId}`).query({ purpose: 'treatment' }).set('authorization', provider.auth).expect(200);
    expect(record.body).toMatchObject({ visitId, modality: 'phone', status: 'in-progress' });
    expect(record.body.vitals).toHaveLength(1);
    expect(record.body.connection.log.map((c: { status: string }) => c.status)).toEqual(['disconnected', 'reconnected', 'disconnected']);
    expect(record.body.modalityChanges).toEqual([expect.objectContaining({ from: 'video', to: 'phone', reason: 'no-video' })]);
  });
});
