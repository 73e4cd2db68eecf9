import { request as httpRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { eventually, testInfrastructure, uniqueName } from '@carebridge/testing';
import { type EnrolledPatient, type MonitoringTestApp, daysAgo, enrolPatient, minutesAgo, startMonitoringApp } from './monitoring-app.fixtures';

let t: MonitoringTestApp;
let ops: string;

beforeAll(async () => {
  t = await startMonitoringApp({ jobs: { kind: 'redis', url: testInfrastructure.redisUrl, prefix: uniqueName('monitoring') } });
  ops = await t.ops();
});
afterAll(async () => {
  await t?.close();
});

const post = (readings: unknown[], token = ops) => t.http().post('/v1/readings/batch').set('authorization', `Bearer ${token}`).send({ readings });
const bp = (deviceId: string, systolic: number, diastolic: number, measuredAt = minutesAgo(5)) => ({ deviceId, type: 'blood-pressure', measuredAt, systolic, diastolic, unit: 'mmHg' });
const alertsOf = async (p: EnrolledPatient, status?: string) =>
  (
    await t
      .http()
      .get(`/v1/patients/${p.patientId}/alerts${status ? `?status=${status}` : ''}`)
      .set('authorization', `Bearer ${p.careTeam[0]!.token}`)
      .expect(200)
  ).body.alerts as { alertId: string; ruleId: string; status: string; level: number; assigneeId: string; readingIds: string[] }[];

describe('a batch with mixed valid and invalid readings', () => {
  it('returns a result per reading, stores the valid ones and never attaches an unassigned device reading', async () => {
    const p = await enrolPatient(t);
    const unassigned = randomUUID();
    const at = minutesAgo(30);
    const res = await post([
      { deviceId: p.deviceId, type: 'heart-rate', measuredAt: at, value: 72, unit: '/min' },
      { deviceId: p.deviceId, type: 'spo2', measuredAt: at, value: 140, unit: '%' },
      { deviceId: unassigned, type: 'heart-rate', measuredAt: at, value: 70 },
      { deviceId: p.deviceId, type: 'heart-rate', measuredAt: at, value: 72, unit: '/min' },
      { deviceId: p.deviceId, measuredAt: at, value: 72 },
      { deviceId: p.deviceId, type: 'body-weight', measuredAt: at, value: 180, unit: 'lb' },
      { deviceId: p.deviceId, type: 'blood-glucose', measuredAt: at, value: 5.5, unit: 'mmol/L' },
    ]).expect(200);
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 1, rejected: 3 });
    expect(res.body.results.map((r: { status: string; reason?: string }) => [r.status, r.reason?.split(':')[0]])).toEqual([
      ['accepted', undefined],
      ['rejected', 'IMPLAUSIBLE_VALUE'],
      ['rejected', 'UNASSIGNED_DEVICE'],
      ['duplicate', undefined],
      ['rejected', 'INVALID_READING'],
      ['accepted', undefined],
      ['accepted', undefined],
    ]);

    const readings = await eventually(async () => {
      const r = await t.http().get(`/v1/patients/${p.patientId}/readings`).set('authorization', `Bearer ${p.patientToken}`).expect(200);
      return r.body.readings.length === 3 ? r.body.readings : undefined;
    });
    expect(readings.map((r: { kind: string; value: number; unit: string; loinc: string }) => [r.kind, r.value, r.unit, r.loinc]).sort()).toEqual([
      ['blood-glucose', 99.1, 'mg/dL', '2339-0'],
      ['body-weight', 81.647, 'kg', '29463-7'],
      ['heart-rate', 72, '/min', '8867-4'],
    ]);
    // The unassigned device's reading is nowhere.
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM "${t.db.schema}".readings WHERE device_id = $1`, [unassigned]);
    expect(rows[0].n).toBe(0);

    // Sent again: every accepted reading is now a duplicate, nothing is stored twice.
    const again = await post([{ deviceId: p.deviceId, type: 'heart-rate', measuredAt: at, value: 72, unit: '/min' }]).expect(200);
    expect(again.body.results[0].status).toBe('duplicate');
  });

  it('takes a full batch of 1,000 readings in one request', async () => {
    const p = await enrolPatient(t);
    const readings = Array.from({ length: 1_000 }, (_, i) => ({ deviceId: p.deviceId, type: 'heart-rate', measuredAt: minutesAgo(2_000 - i), value: 60 + (i % 40), unit: '/min' }));
    const res = await post(readings).expect(200);
    expect(res.body).toMatchObject({ accepted: 1_000, duplicates: 0, rejected: 0 });
  });

  it('answers a malformed request with 400 naming the field', async () => {
    const res = await t.http().post('/v1/readings/batch').set('authorization', `Bearer ${ops}`).send({ readings: 'nope' }).expect(400);
    expect(JSON.stringify(res.body)).toContain('readings');
    await post(Array.from({ length: 1_001 }, () => ({}))).expect(400);
    await post([]).expect(400);
  });

  it('places late and out-of-order readings by their measurement time', async () => {
    const p = await enrolPatient(t);
    await post([
      { deviceId: p.deviceId, type: 'heart-rate', measuredAt: daysAgo(1), value: 80 },
      { deviceId: p.deviceId, type: 'heart-rate', measuredAt: daysAgo(3), value: 60 },
    ]).expect(200);
    await post([{ deviceId: p.deviceId, type: 'heart-rate', measuredAt: daysAgo(2), value: 70 }]).expect(200);
    const values = await eventually(async () => {
      const r = await t.http().get(`/v1/patients/${p.patientId}/readings?kind=heart-rate`).set('authorization', `Bearer ${p.patientToken}`).expect(200);
      return r.body.readings.length === 3 ? r.body.readings.map((x: { value: number }) => x.value) : undefined;
    });
    expect(values).toEqual([60, 70, 80]);
  });
});

describe('a hypertension patient', () => {
  it('raises one alert for a crisis reading, attaches the next one to it, and escalates it when nobody acknowledges', async () => {
    const p = await enrolPatient(t, { conditions: ['hypertension'], escalateAfterSeconds: 1 });
    const first = await post([bp(p.deviceId, 185, 110)]).expect(200);
    const [alert] = await eventually(async () => {
      const open = await alertsOf(p, 'open');
      return open.length === 1 ? open : undefined;
    });
    expect(alert).toMatchObject({ ruleId: 'bp-hypertensive-crisis', status: 'open', level: 0, assigneeId: p.careTeam[0]!.providerId, readingIds: [first.body.results[0].readingId] });

    const second = await post([bp(p.deviceId, 170, 125, minutesAgo(2))]).expect(200);
    await eventually(async () => ((await alertsOf(p))[0]!.readingIds.length === 2 ? true : undefined));
    const alerts = await alertsOf(p);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.readingIds).toContain(second.body.results[0].readingId);

    const escalated = await eventually(async () => {
      const [a] = await alertsOf(p);
      return a!.level === 1 ? a : undefined;
    }, { timeoutMs: 20_000 });
    expect(escalated.assigneeId).toBe(p.careTeam[1]!.providerId);
  });

  it('is acknowledged by the care team (no escalation), resolved, and a resolved alert refuses acknowledgement with 409', async () => {
    const p = await enrolPatient(t, { conditions: ['hypertension'], escalateAfterSeconds: 1 });
    await post([bp(p.deviceId, 150, 121)]).expect(200);
    const [alert] = await eventually(async () => {
      const open = await alertsOf(p, 'open');
      return open.length === 1 ? open : undefined;
    });
    const outsider = await t.provider();
    await t.http().post(`/v1/alerts/${alert!.alertId}/acknowledge`).set('authorization', `Bearer ${outsider.token}`).expect(404);
    const acked = await t.http().post(`/v1/alerts/${alert!.alertId}/acknowledge`).set('authorization', `Bearer ${p.careTeam[0]!.token}`).expect(200);
    expect(acked.body.status).toBe('acknowledged');
    // Past the 1 s escalation deadline the acknowledged alert keeps the level it had when acknowledged
    // (0, unless a loaded machine let the escalation in first): acknowledgement stops escalation.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await alertsOf(p))[0]).toMatchObject({ status: 'acknowledged', level: acked.body.level });
    await t.http().post(`/v1/alerts/${alert!.alertId}/resolve`).set('authorization', `Bearer ${p.careTeam[0]!.token}`).expect(200);
    const refused = await t.http().post(`/v1/alerts/${alert!.alertId}/acknowledge`).set('authorization', `Bearer ${p.careTeam[0]!.token}`).expect(409);
    expect(refused.body.code).toBe('ALERT.NOT_OPEN');
  });

  it('uses the threshold the provider adjusted for this patient', async () => {
    const p = await enrolPatient(t, { conditions: ['hypertension'] });
    await t
      .http()
      .put(`/v1/patients/${p.patientId}/care-plan/rules/bp-hypertensive-crisis`)
      .set('authorization', `Bearer ${p.careTeam[0]!.token}`)
      .send({ when: [{ field: 'systolic', atOrAbove: 200 }] })
      .expect(200);
    await t
      .http()
      .put(`/v1/patients/${p.patientId}/care-plan/rules/bp-hypertensive-crisis`)
      .set('authorization', `Bearer ${p.careTeam[0]!.token}`)
      .send({ gainLbAbove: 3 })
      .expect(422);
    const plan = await t.http().get(`/v1/patients/${p.patientId}/care-plan`).set('authorization', `Bearer ${p.patientToken}`).expect(200);
    expect(plan.body.rules.find((r: { ruleId: string }) => r.ruleId === 'bp-hypertensive-crisis').source).toContain('AHA');
    await post([bp(p.deviceId, 190, 100, minutesAgo(3))]).expect(200);
    await post([bp(p.deviceId, 205, 100, minutesAgo(2))]).expect(200);
    const [alert] = await eventually(async () => {
      const open = await alertsOf(p, 'open');
      return open.length === 1 ? open : undefined;
    });
    expect(alert!.readingIds).toHaveLength(1);
  });
});

describe('alerting, decided in the ingest request and stored with the readings', () => {
  const eventsOf = async (streamPrefix: string) =>
    (
      await t.db.pool.query<{ event_type: string; transaction_id: string; data: { readingIds?: string[]; readingId?: string } }>(
        `SELECT event_type, transaction_id::text, data FROM "${t.db.schema}".events WHERE stream_id LIKE $1 ORDER BY global_position`,
        [`${streamPrefix}%`],
      )
    ).rows;
  const readingEvent = async (readingId: string) =>
    (await t.db.pool.query<{ transaction_id: string }>(`SELECT transaction_id::text FROM "${t.db.schema}".events WHERE event_id = $1`, [readingId])).rows[0];

  it('the alert is stored by the time the request answers, in the transaction of its reading', async () => {
    const p = await enrolPatient(t, { conditions: ['hypertension'] });
    const res = await post([bp(p.deviceId, 188, 100), { deviceId: p.deviceId, type: 'heart-rate', measuredAt: minutesAgo(4), value: 70 }]).expect(200);
    const readingId = res.body.results[0].readingId as string;
    const alerts = await eventsOf(`alert-${p.patientId}`);
    expect(alerts.map((e) => [e.event_type, e.data.readingIds])).toEqual([['AlertRaised', [readingId]]]);
    expect(alerts[0]!.transaction_id).toBe((await readingEvent(readingId))!.transaction_id);
  });

  it('a batch sent again (a retry) raises nothing twice', async () => {
    const p = await enrolPatient(t, { conditions: ['hypertension'] });
    const batch = [bp(p.deviceId, 190, 100, minutesAgo(3))];
    await post(batch).expect(200);
    const again = await post(batch).expect(200);
    expect(again.body.results[0].status).toBe('duplicate');
    expect((await eventsOf(`alert-${p.patientId}`)).map((e) => e.event_type)).toEqual(['AlertRaised']);
  });

  it('requests at once for one patient raise one alert, the other readings attached to it, each reading stored once', async () => {
    const p = await enrolPatient(t, { conditions: ['hypertension'] });
    const same = bp(p.deviceId, 200, 100, minutesAgo(9));
    const results = await Promise.all([
      post([same]),
      post([same]),
      post([bp(p.deviceId, 195, 100, minutesAgo(8))]),
      post([bp(p.deviceId, 196, 100, minutesAgo(7))]),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.slice(0, 2).map((r) => r.body.results[0].status).sort()).toEqual(['accepted', 'duplicate']);
    const alerts = await eventsOf(`alert-${p.patientId}`);
    expect(alerts.map((e) => e.event_type)).toEqual(['AlertRaised', 'AlertUpdated', 'AlertUpdated']);
    expect(alerts.flatMap((e) => e.data.readingIds!).sort()).toEqual([...new Set(results.map((r) => r.body.results[0].readingId as string))].sort());
    const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM "${t.db.schema}".events WHERE event_id = $1`, [results[0]!.body.results[0].readingId]);
    expect(rows[0].n).toBe(1);
  });

  it('two weights in one request are compared with each other', async () => {
    const p = await enrolPatient(t, { conditions: ['heart-failure'] });
    const res = await post([
      { deviceId: p.deviceId, type: 'body-weight', measuredAt: minutesAgo(20 * 60), value: 180, unit: 'lb' },
      { deviceId: p.deviceId, type: 'body-weight', measuredAt: minutesAgo(10), value: 182.5, unit: 'lb' },
    ]).expect(200);
    const alerts = await eventsOf(`alert-${p.patientId}-hf-weight-gain-day`);
    expect(alerts.map((e) => [e.event_type, e.data.readingIds])).toEqual([['AlertRaised', [res.body.results[1].readingId, res.body.results[0].readingId]]]);
  });
});

describe('a heart-failure patient', () => {
  it('raises a weight-gain alert for more than 2 lb in a day, compared by measurement time', async () => {
    const p = await enrolPatient(t, { conditions: ['heart-failure'] });
    // 2 days ago is outside the day window; 23 hours ago is the baseline; a gain of exactly 2 lb does not fire.
    await post([{ deviceId: p.deviceId, type: 'body-weight', measuredAt: minutesAgo(48 * 60), value: 179, unit: 'lb' }]).expect(200);
    await post([{ deviceId: p.deviceId, type: 'body-weight', measuredAt: minutesAgo(23 * 60), value: 181, unit: 'lb' }]).expect(200);
    await post([{ deviceId: p.deviceId, type: 'body-weight', measuredAt: minutesAgo(60), value: 183, unit: 'lb' }]).expect(200);
    const today = await post([{ deviceId: p.deviceId, type: 'body-weight', measuredAt: minutesAgo(10), value: 183.5, unit: 'lb' }]).expect(200);
    const [alert] = await eventually(async () => {
      const open = await alertsOf(p, 'open');
      return open.length >= 1 ? open : undefined;
    });
    expect(alert).toMatchObject({ ruleId: 'hf-weight-gain-day' });
    expect(alert!.readingIds[0]).toBe(today.body.results[0].readingId);
    expect(await alertsOf(p)).toHaveLength(1);
  });
});

describe('a late reading', () => {
  it('re-evaluates the trend of a weight measured after it', async () => {
    const p = await enrolPatient(t, { conditions: ['heart-failure'] });
    const today = await post([{ deviceId: p.deviceId, type: 'body-weight', measuredAt: minutesAgo(10), value: 183.5, unit: 'lb' }]).expect(200);
    await post([{ deviceId: p.deviceId, type: 'body-weight', measuredAt: minutesAgo(30 * 60), value: 181, unit: 'lb' }]).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await alertsOf(p)).toEqual([]);
    // Arrives late, measured 23 hours ago: today's weight is now 2.5 lb above it.
    await post([{ deviceId: p.deviceId, type: 'body-weight', measuredAt: minutesAgo(23 * 60), value: 181, unit: 'lb' }]).expect(200);
    const [alert] = await eventually(async () => {
      const open = await alertsOf(p, 'open');
      return open.length >= 1 ? open : undefined;
    });
    expect(alert).toMatchObject({ ruleId: 'hf-weight-gain-day' });
    expect(alert!.readingIds[0]).toBe(today.body.results[0].readingId);
  });
});

describe('adherence', () => {
  it('raises an adherence alert for two missed doses in a week', async () => {
    const p = await enrolPatient(t, { conditions: ['hypertension'] });
    await post([
      { deviceId: p.deviceId, type: 'medication-intake', measuredAt: daysAgo(3), taken: false },
      { deviceId: p.deviceId, type: 'medication-intake', measuredAt: daysAgo(2), taken: true },
    ]).expect(200);
    await post([{ deviceId: p.deviceId, type: 'medication-intake', measuredAt: daysAgo(1), taken: false }]).expect(200);
    const [alert] = await eventually(async () => {
      const open = await alertsOf(p, 'open');
      return open.length >= 1 ? open : undefined;
    });
    expect(alert).toMatchObject({ ruleId: 'medication-missed-doses' });
    expect(alert!.readingIds).toHaveLength(2);
    const adherence = await t.http().get(`/v1/patients/${p.patientId}/adherence`).set('authorization', `Bearer ${p.patientToken}`).expect(200);
    expect(adherence.body).toMatchObject({ dosesTaken: 1, dosesMissed: 2 });
  });
});

describe('access', () => {
  it('lets a device post only with the key of its assignment, and only its own readings', async () => {
    const p = await enrolPatient(t);
    const other = await enrolPatient(t);
    const at = minutesAgo(1);
    await t.http().post(`/v1/devices/${p.deviceId}/readings`).set('x-device-key', other.apiKey).send({ readings: [{ type: 'heart-rate', measuredAt: at, value: 70 }] }).expect(403);
    const res = await t
      .http()
      .post(`/v1/devices/${p.deviceId}/readings`)
      .set('x-device-key', p.apiKey)
      .send({ readings: [{ type: 'heart-rate', measuredAt: at, value: 70 }, { deviceId: other.deviceId, type: 'heart-rate', measuredAt: at, value: 70 }] })
      .expect(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
  });

  it("renews a device's key for the care team or ops: the new key works at once and the old one no longer does", async () => {
    const p = await enrolPatient(t);
    const stranger = await t.provider();
    const device = await t.http().get(`/v1/devices/${p.deviceId}`).set('authorization', `Bearer ${ops}`).expect(200);
    const assignmentId = device.body.assignments[0].assignmentId as string;
    const reading = (minutes: number) => ({ readings: [{ type: 'heart-rate', measuredAt: minutesAgo(minutes), value: 70 }] });
    const url = `/v1/devices/${p.deviceId}/assignments/${assignmentId}/key`;
    await t.http().post(url).set('authorization', `Bearer ${stranger.token}`).set('idempotency-key', randomUUID()).expect(404);
    await t.http().post(url).set('authorization', `Bearer ${p.careTeam[0]!.token}`).expect(400);

    const key = randomUUID();
    const renewed = await t.http().post(url).set('authorization', `Bearer ${p.careTeam[0]!.token}`).set('idempotency-key', key).expect(201);
    expect(renewed.body).toMatchObject({ assignmentId, deviceId: p.deviceId, apiKey: expect.stringMatching(/^cbdev_/) });
    expect(renewed.body.apiKey).not.toBe(p.apiKey);
    const forbidden = await t.http().post(`/v1/devices/${p.deviceId}/readings`).set('x-device-key', p.apiKey).send(reading(3)).expect(403);
    expect(forbidden.body.code).toBe('DEVICE.INVALID_KEY');
    await t.http().post(`/v1/devices/${p.deviceId}/readings`).set('x-device-key', renewed.body.apiKey).send(reading(2)).expect(200);
    // A retry of the same request does not show the key again (nor change it).
    const retried = await t.http().post(url).set('authorization', `Bearer ${p.careTeam[0]!.token}`).set('idempotency-key', key).expect(201);
    expect(retried.body).not.toHaveProperty('apiKey');
    await t.http().post(`/v1/devices/${p.deviceId}/readings`).set('x-device-key', renewed.body.apiKey).send(reading(1)).expect(200);
    // The key itself is never stored or logged in an event: only its hash.
    const events = await t.store.readStream(`device-${p.deviceId}`);
    expect(events.map((e) => e.type)).toContain('DeviceKeyRotated');
    expect(JSON.stringify(events)).not.toContain(renewed.body.apiKey);

    // An ended assignment has no key to renew.
    await t.http().post(`/v1/devices/${p.deviceId}/assignments/${assignmentId}/end`).set('authorization', `Bearer ${ops}`).send({}).expect(201);
    const ended = await t.http().post(url).set('authorization', `Bearer ${ops}`).set('idempotency-key', randomUUID()).expect(409);
    expect(ended.body.code).toBe('DEVICE.ASSIGNMENT_ENDED');
  });

  it('shows readings to the patient and their care team only; a patient posts only for their own devices', async () => {
    const p = await enrolPatient(t);
    const other = await enrolPatient(t);
    const stranger = await t.provider();
    // A provider outside the care team: the same 404 as an unknown patient (issue 14).
    await t.http().get(`/v1/patients/${p.patientId}/readings`).set('authorization', `Bearer ${stranger.token}`).expect(404);
    await t.http().get(`/v1/patients/${p.patientId}/readings`).set('authorization', `Bearer ${other.patientToken}`).expect(404);
    await t.http().get(`/v1/patients/${p.patientId}/readings`).set('authorization', `Bearer ${p.careTeam[1]!.token}`).expect(200);
    const res = await post([{ deviceId: other.deviceId, type: 'heart-rate', measuredAt: minutesAgo(1), value: 70 }], p.patientToken).expect(200);
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('NOT_YOUR_DEVICE') });
  });

  it('rejects readings measured after the assignment ended', async () => {
    const p = await enrolPatient(t);
    const device = await t.http().get(`/v1/devices/${p.deviceId}`).set('authorization', `Bearer ${ops}`).expect(200);
    await t
      .http()
      .post(`/v1/devices/${p.deviceId}/assignments/${device.body.assignments[0].assignmentId}/end`)
      .set('authorization', `Bearer ${p.careTeam[0]!.token}`)
      .send({ at: minutesAgo(60) })
      .expect(201);
    const res = await post([
      { deviceId: p.deviceId, type: 'heart-rate', measuredAt: minutesAgo(90), value: 70 },
      { deviceId: p.deviceId, type: 'heart-rate', measuredAt: minutesAgo(30), value: 70 },
    ]).expect(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
  });
});

describe('live view', () => {
  it('streams a patient\'s readings to the care team as Server-Sent Events, and refuses others', async () => {
    const p = await enrolPatient(t);
    const base = await t.listen();
    const stranger = await t.provider();
    const refused = await new Promise<number>((resolve, reject) => {
      httpRequest(`${base}/v1/patients/${p.patientId}/readings/live`, { headers: { authorization: `Bearer ${stranger.token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end();
    });
    expect(refused).toBe(404); // outside the care team: as if there were no such patient (issue 14)

    let received = '';
    const req = httpRequest(`${base}/v1/patients/${p.patientId}/readings/live`, { headers: { authorization: `Bearer ${p.careTeam[0]!.token}` } });
    const connected = new Promise<void>((resolve) => {
      req.on('response', (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.on('data', (chunk: Buffer) => {
          received += chunk.toString();
          if (received.includes(': connected')) resolve();
        });
      });
    });
    req.end();
    await connected;
    await post([{ deviceId: p.deviceId, type: 'spo2', measuredAt: minutesAgo(1), value: 97, unit: '%' }]).expect(200);
    await eventually(() => (received.includes('event: reading') ? true : undefined));
    req.destroy();
    const data = JSON.parse(received.split('data: ')[1]!.split('\n')[0]!);
    expect(data).toMatchObject({ patientId: p.patientId, kind: 'spo2', value: 97 });
  });

  /** A live-view connection: its events as parsed so far, resolved once the server says it is connected. */
  async function watch(base: string, p: EnrolledPatient, lastEventId?: string) {
    let raw = '';
    const headers: Record<string, string> = { authorization: `Bearer ${p.careTeam[0]!.token}`, ...(lastEventId !== undefined && { 'last-event-id': lastEventId }) };
    const req = httpRequest(`${base}/v1/patients/${p.patientId}/readings/live`, { headers });
    await new Promise<void>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) =>
        res.on('data', (chunk: Buffer) => {
          raw += chunk.toString();
          if (raw.includes(': connected')) resolve();
        }),
      );
      req.end();
    });
    const events = () =>
      raw
        .split('\n\n')
        .filter((block) => /^(id|event): /m.test(block))
        .map((block) => Object.fromEntries(block.split('\n').map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)])) as { id?: string; event: string; data: string });
    return { events, close: () => req.destroy() };
  }

  it('a viewer reconnecting with Last-Event-ID gets what it missed, once and in order, then live readings', async () => {
    const p = await enrolPatient(t);
    const base = await t.listen();
    const hr = (value: number, minutes: number) => ({ deviceId: p.deviceId, type: 'heart-rate', measuredAt: minutesAgo(minutes), value, unit: '/min' });
    const first = await watch(base, p);
    await post([hr(61, 10)]).expect(200);
    const [seen] = await eventually(() => (first.events().length === 1 ? first.events() : undefined), { what: 'the first reading live' });
    expect(seen!.event).toBe('reading');
    expect(seen!.id).toMatch(/^\d+$/);
    first.close();

    // Missed while away; the second one measured earlier but stored later (log order counts).
    await post([hr(62, 8)]).expect(200);
    await post([hr(63, 9)]).expect(200);
    const again = await watch(base, p, seen!.id);
    await post([hr(64, 1)]).expect(200);
    const events = await eventually(() => (again.events().length >= 3 ? again.events() : undefined), { what: 'the missed readings, then the live one' });
    again.close();
    expect(events.map((e) => JSON.parse(e.data).value)).toEqual([62, 63, 64]);
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBeGreaterThan(Number(seen!.id));

    // An id from before positions were ids (a reading id) is ignored: live readings only.
    const unknown = await watch(base, p, randomUUID());
    await post([hr(65, 0.5)]).expect(200);
    const live = await eventually(() => (unknown.events().length >= 1 ? unknown.events() : undefined), { what: 'a live reading' });
    unknown.close();
    expect(live.map((e) => JSON.parse(e.data).value)).toEqual([65]);

    // An id beyond the log's head (a restored database, a forged header) does not silence the view.
    const ahead = await watch(base, p, '999999999999');
    await post([hr(66, 0.2)]).expect(200);
    const next = await eventually(() => (ahead.events().length >= 1 ? ahead.events() : undefined), { what: 'a live reading after an id from the future' });
    ahead.close();
    expect(next.map((e) => JSON.parse(e.data).value)).toEqual([66]);
  });

  it('a viewer too far behind (more than 1,000 readings) is told to reload instead of being replayed', async () => {
    const p = await enrolPatient(t);
    const base = await t.listen();
    const readings = Array.from({ length: 1_001 }, (_, i) => ({ deviceId: p.deviceId, type: 'heart-rate', measuredAt: minutesAgo(2_000 - i), value: 70, unit: '/min' }));
    await post(readings.slice(0, 1_000)).expect(200);
    await post(readings.slice(1_000)).expect(200);
    const behind = await watch(base, p, '0');
    await post([{ deviceId: p.deviceId, type: 'heart-rate', measuredAt: minutesAgo(0.5), value: 99, unit: '/min' }]).expect(200);
    const events = await eventually(() => (behind.events().some((e) => e.event === 'reading' && JSON.parse(e.data).value === 99) ? behind.events() : undefined), {
      what: 'the reset, then the live reading',
    });
    behind.close();
    expect(events[0]!.event).toBe('reset');
    expect(JSON.parse(events[0]!.data).reason).toContain(`/v1/patients/${p.patientId}/readings`);
    // Not replayed: at most the few readings committed after the replay's end come live before it.
    expect(events.length).toBeLessThan(100);
  });
});

describe('FHIR views', () => {
  it('serves readings as vital-signs Observations with LOINC codes, and the Device', async () => {
    const p = await enrolPatient(t);
    await post([bp(p.deviceId, 128, 82, minutesAgo(3))]).expect(200);
    const bundle = await eventually(async () => {
      const r = await t.http().get(`/v1/fhir/Observation?patient=${p.patientId}&code=http://loinc.org|85354-9`).set('authorization', `Bearer ${p.patientToken}`).expect(200);
      return r.body.total === 1 ? r.body : undefined;
    });
    const observation = bundle.entry[0].resource;
    expect(observation).toMatchObject({
      resourceType: 'Observation',
      status: 'final',
      meta: { profile: ['http://hl7.org/fhir/StructureDefinition/vitalsigns', 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure'] },
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      subject: { reference: `Patient/${p.patientId}` },
      component: [{ code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 128, code: 'mm[Hg]' } }, { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 82 } }],
    });
    const device = await t.http().get(`/v1/fhir/Device/${p.deviceId}`).set('authorization', `Bearer ${p.patientToken}`).expect(200);
    expect(device.body).toMatchObject({ resourceType: 'Device', manufacturer: 'Acme Health', modelNumber: 'RPM-1', patient: { reference: `Patient/${p.patientId}` } });
  });
});

describe('RPM periods', () => {
  type Closed = { periodStart: string; codes: { code: string; units: number }[] };
  const codesOf = (closed: readonly Closed[]) => closed.flatMap((c) => c.codes.map((x) => `${x.code}x${x.units}`)).sort();
  const logMinutes = (p: EnrolledPatient, minutes: number, performedAt: string, key: string) =>
    t
      .http()
      .post(`/v1/patients/${p.patientId}/interactive-minutes`)
      .set('authorization', `Bearer ${p.careTeam[0]!.token}`)
      .set('idempotency-key', `minutes-${p.patientId}-${key}`)
      .send({ minutes, activity: 'management', interactive: true, performedAt })
      .expect(201);
  /** Readings on `days` distinct days from `firstDaysAgo` on; closes every ended period. */
  async function readingsAndClose(p: EnrolledPatient, days: number, firstDaysAgo: number, logged: () => Promise<unknown>): Promise<Closed[]> {
    const readings = Array.from({ length: days }, (_, i) => ({ deviceId: p.deviceId, type: 'heart-rate', measuredAt: daysAgo(firstDaysAgo - i), value: 70 }));
    await post(readings).expect(200);
    await logged();
    await eventually(async () => {
      const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM "${t.db.schema}".reading_days WHERE patient_id = $1`, [p.patientId]);
      return rows[0].n === days ? true : undefined;
    });
    const closed = await t.http().post('/v1/rpm/periods/close-due').set('authorization', `Bearer ${ops}`).send({ patientIds: [p.patientId] }).expect(200);
    return closed.body.closed;
  }

  /**
   * Readings on `days` distinct days of the 30-day period that started 100 days ago, and management
   * minutes 95 days ago. Management is per calendar month: the month is billed with the first
   * period ending after it (the first or the second, by the calendar), so the codes of every
   * period closed now are counted; the later periods have no readings and no codes of their own.
   */
  async function period(days: number, minutes: number) {
    const p = await enrolPatient(t);
    const closed = await readingsAndClose(p, days, 100, async () => (minutes > 0 ? logMinutes(p, minutes, daysAgo(95), 'a') : undefined));
    expect(closed.map((c) => c.periodStart)).toContain(daysAgo(100).slice(0, 10));
    return { p, codes: codesOf(closed) };
  }

  it('16 days of readings and 9 minutes: 99454 (and set-up), no management code', async () => {
    expect((await period(16, 9)).codes).toEqual(['99453x1', '99454x1']);
  });
  it('15 days and 10 minutes: 99445 and 99470', async () => {
    expect((await period(15, 10)).codes).toEqual(['99445x1', '99453x1', '99470x1']);
  });
  it('1 day and 20 minutes: neither device code, 99457', async () => {
    const { p, codes } = await period(1, 20);
    expect(codes).toEqual(['99457x1']);
    const periods = await t.http().get(`/v1/patients/${p.patientId}/rpm-periods`).set('authorization', `Bearer ${p.patientToken}`).expect(200);
    expect(periods.body.periods[0]).toMatchObject({ daysWithReadings: 1, reasonCodes: ['RPM.TOO_FEW_DAYS'], ruleSet: { version: '2026' } });
  });
  it('16 days and 45 minutes: 99454, 99457 and one 99458; closing again adds nothing', async () => {
    const { p, codes } = await period(16, 45);
    expect(codes).toEqual(['99453x1', '99454x1', '99457x1', '99458x1']);
    const again = await t.http().post('/v1/rpm/periods/close-due').set('authorization', `Bearer ${ops}`).send({ patientIds: [p.patientId] }).expect(200);
    expect(again.body.closed).toEqual([]);
  });

  const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const daysBefore = (day: string) => (Date.parse(`${utcDay(Date.now())}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000;

  it('management is per calendar month: 8 minutes on the last day of a month and 7 on the first of the next bill nothing', async () => {
    const p = await enrolPatient(t);
    const monthStart = `${daysAgo(60).slice(0, 7)}-01`;
    const lastOfPrevious = utcDay(Date.parse(`${monthStart}T00:00:00Z`) - 86_400_000);
    const closed = await readingsAndClose(p, 1, 100, async () => {
      await logMinutes(p, 8, `${lastOfPrevious}T08:00:00Z`, 'a');
      await logMinutes(p, 7, `${monthStart}T08:00:00Z`, 'b');
    });
    expect(codesOf(closed)).toEqual([]);
    const periods = await t.http().get(`/v1/patients/${p.patientId}/rpm-periods`).set('authorization', `Bearer ${p.patientToken}`).expect(200);
    expect(periods.body.periods.flatMap((x: { reasonCodes: string[] }) => x.reasonCodes)).toContain('RPM.TOO_FEW_MINUTES');
  });

  it('a month overlapped by two periods is billed once, with all its minutes', async () => {
    const p = await enrolPatient(t);
    // The second period starts on the 15th of a month: 6 minutes on the 14th (first period) and 6
    // on the 15th (second period) make 12 minutes in one month: 99470 once.
    const secondStart = `${daysAgo(75).slice(0, 7)}-15`;
    const firstDay = utcDay(Date.parse(`${secondStart}T00:00:00Z`) - 30 * 86_400_000);
    const fourteenth = utcDay(Date.parse(`${secondStart}T00:00:00Z`) - 86_400_000);
    const closed = await readingsAndClose(p, 1, daysBefore(firstDay), async () => {
      await logMinutes(p, 6, `${fourteenth}T08:00:00Z`, 'a');
      await logMinutes(p, 6, `${secondStart}T08:00:00Z`, 'b');
    });
    expect(closed.slice(0, 2).map((c) => c.periodStart)).toEqual([firstDay, secondStart]);
    expect(codesOf(closed)).toEqual(['99470x1']);
    expect(closed[1]!.codes).toEqual([{ code: '99470', units: 1 }]);
    const again = await t.http().post('/v1/rpm/periods/close-due').set('authorization', `Bearer ${ops}`).send({ patientIds: [p.patientId] }).expect(200);
    expect(again.body.closed).toEqual([]);
  });
});
