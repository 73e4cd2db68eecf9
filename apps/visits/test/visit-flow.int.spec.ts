import { createHash, randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import {
  AppointmentBooked,
  AppointmentCancelled,
  ContractRegistry,
  FollowUpRequested,
  VisitOpened,
  toKafkaRecord,
  visitsEvents,
} from '@carebridge/contracts';
import { IntegrationConsumer, type ReceivedEvent, createKafka, ensureTopics, on } from '@carebridge/messaging';
import { eventually, sendRecords, testInfrastructure, uniqueName, uniqueTopic } from '@carebridge/testing';
import { type VisitsTestApp, goodDevice, licence, startVisitsApp } from './visits-app.fixtures';

let kafka: Kafka;
let t: VisitsTestApp;
let listener: IntegrationConsumer;
const received: ReceivedEvent[] = [];
const appointmentTopic = uniqueTopic('appointment');

beforeAll(async () => {
  kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'visits-flow-test' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [appointmentTopic, VisitOpened.topic].map((topic) => ({ topic, partitions: 3 })));
  await admin.disconnect();
  t = await startVisitsApp({ kafka, consumer: { groupId: uniqueName('visits'), appointmentTopic } });
  // Reads what visits publishes, as scheduling (follow-ups) and other services would.
  listener = new IntegrationConsumer({
    groupId: uniqueName('visits-flow-listener'),
    kafka,
    pool: t.db.pool,
    schema: t.db.schema,
    registry: new ContractRegistry([...visitsEvents]),
    handlers: visitsEvents.map((definition) => on(definition, async (event) => void received.push(event))),
  });
  await listener.start();
});
afterAll(async () => {
  await listener.stop();
  await t.close();
});

const publish = (records: ReturnType<typeof toKafkaRecord>[]) => sendRecords(kafka, records);

const envelope = () => ({ id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: 'scheduling', role: 'system' as const } });

function booking(patientId: string, providerId: string) {
  const appointmentId = randomUUID();
  const start = new Date(Date.now() + 10 * 60_000);
  const data = {
    appointmentId,
    patientId,
    providerId,
    startsAt: start.toISOString(),
    endsAt: new Date(start.getTime() + 30 * 60_000).toISOString(),
    modality: 'video' as const,
    patientState: 'NY',
  };
  return { appointmentId, data, record: toKafkaRecord({ ...AppointmentBooked, topic: appointmentTopic }, data, envelope()) };
}

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(randomUUID())]);

describe('a booked visit, end to end', () => {
  it('booked -> checked in -> admitted -> vitals -> attachment -> completed with an in-person follow-up on Kafka', async () => {
    const patient = await t.patient();
    const provider = await t.provider();
    await licence(t, provider);
    const booked = booking(patient.patientId, provider.providerId);
    // scheduling's AppointmentBooked, delivered twice: one visit.
    await publish([booked.record, booked.record]);

    const { visitId } = await eventually(
      async () => {
        const response = await t.http().get(`/v1/appointments/${booked.appointmentId}/visit`).set('authorization', patient.auth);
        return response.status === 200 ? (response.body as { visitId: string }) : undefined;
      },
      { timeoutMs: 45_000, what: 'the visit opened from the booking' },
    );
    const visit = (path = '') => `/v1/visits/${visitId}${path}`;

    // Waiting room: check-in with device check and location; the provider sees who waits.
    const checkIn = await t.http().post(visit('/check-in')).set('authorization', patient.auth).send({ locationState: 'NY', device: goodDevice }).expect(200);
    expect(checkIn.body).toEqual({ visitId, status: 'waiting', videoReady: true, videoProblems: [] });
    const again = await t.http().post(visit('/check-in')).set('authorization', patient.auth).send({ locationState: 'NY', device: goodDevice }).expect(409);
    expect(again.body.detail).toMatch(/^The visit is waiting/);
    const room = await t.http().get('/v1/waiting-room').set('authorization', provider.auth).expect(200);
    expect(room.body.patients).toEqual([expect.objectContaining({ visitId, patientId: patient.patientId, locationState: 'NY', waitingSeconds: expect.any(Number) })]);

    const admitted = await t.http().post(visit('/admit')).set('authorization', provider.auth).expect(200);
    expect(admitted.body).toMatchObject({ status: 'in-progress', locationState: 'NY', licenceState: 'NY' });

    // Vitals measured at home: out of range is a 422 naming the field and the range.
    const vitals = (body: object) =>
      t.http().post(visit('/vitals')).set('authorization', patient.auth).set('idempotency-key', randomUUID()).send({ measuredAt: new Date().toISOString(), ...body });
    const implausible = await vitals({ spo2: { value: 120, unit: '%' } }).expect(422);
    expect(implausible.body).toMatchObject({ code: 'VITALS.OUT_OF_RANGE', detail: 'spo2 120 % is outside the plausible range 50-100 %' });
    await vitals({
      temperature: { value: 37.2, unit: 'Cel' },
      bloodPressure: { systolic: 128, diastolic: 82, unit: 'mm[Hg]' },
      heartRate: { value: 76, unit: '/min' },
      spo2: { value: 97, unit: '%' },
      weight: { value: 81.5, unit: 'kg' },
    }).expect(201);

    // Shared results: wrong type 415, bytes not of the declared type 415, over the type's limit 413.
    const upload = (type: string, body: Buffer) => t.http().post(visit('/attachments')).set('authorization', patient.auth).set('content-type', type).send(body);
    expect((await upload('text/html', Buffer.from('<html><script>alert(1)</script></html>')).expect(415)).body.code).toBe('ATTACHMENT.UNSUPPORTED_TYPE');
    expect((await upload('application/pdf', png).expect(415)).body.code).toBe('ATTACHMENT.TYPE_MISMATCH');
    const bigPdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(21 * 1024 * 1024)]);
    expect((await upload('application/pdf', bigPdf).expect(413)).body.code).toBe('ATTACHMENT.TOO_LARGE');
    const shared = await upload('image/png', png).expect(201);
    const sha256 = createHash('sha256').update(png).digest('hex');
    expect(shared.body).toMatchObject({ sha256, category: 'photo', added: true });

    const download = await t
      .http()
      .get(visit(`/attachments/${sha256}`))
      .query({ purpose: 'treatment' })
      .set('authorization', provider.auth)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(download.headers).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': `attachment; filename="${sha256}.png"`,
      'x-content-type-options': 'nosniff',
    });
    expect(Buffer.compare(download.body as Buffer, png)).toBe(0);
    const stranger = await t.patient();
    await t.http().get(visit(`/attachments/${sha256}`)).query({ purpose: 'treatment' }).set('authorization', stranger.auth).expect(403);

    // The record: symptoms, note, diagnosis; abdominal pain needs an examination in person.
    await t.http().put(visit('/symptoms')).set('authorization', provider.auth).send({ symptoms: ['abdominal-pain'], history: 'Two days, right lower side' }).expect(200);
    await t
      .http()
      .put(visit('/note'))
      .set('authorization', provider.auth)
      .send({ subjective: 'Abdominal pain 2 days', objective: 'Afebrile at home', assessment: 'Abdominal pain, unspecified', plan: 'Exam in clinic' })
      .expect(200);
    await t.http().post(visit('/diagnoses')).set('authorization', provider.auth).send({ code: 'R10.9', display: 'Unspecified abdominal pain' }).expect(201);
    const badCode = await t.http().post(visit('/diagnoses')).set('authorization', provider.auth).send({ code: 'abdominal', display: 'x' }).expect(400);
    expect(badCode.body.errors[0].field).toBe('code');
    const resolved = await t.http().post(visit('/complete')).set('authorization', provider.auth).send({ disposition: 'resolved', instructions: 'Rest' }).expect(422);
    expect(resolved.body.code).toBe('VISIT.IN_PERSON_EXAM_REQUIRED');

    const completed = await t
      .http()
      .post(visit('/complete'))
      .set('authorization', provider.auth)
      .send({
        disposition: 'in-person-follow-up',
        followUp: { reasonCode: 'abdominal-exam', withinDays: 3 },
        prescriptions: [
          { rxnormCode: '198405', name: 'Ibuprofen 400 MG Oral Tablet', sig: 'One tablet every 8 hours with food', quantity: { value: 15, unit: 'tablet' }, daysSupply: 5, refills: 0 },
        ],
        instructions: 'Book the in-person exam; go to the emergency room if the pain gets worse or you get a fever.',
      })
      .expect(200);
    expect(completed.body).toMatchObject({
      status: 'ended',
      disposition: 'in-person-follow-up',
      diagnoses: [{ code: 'R10.9', display: 'Unspecified abdominal pain' }],
      followUp: { followUpId: expect.any(String), reasonCode: 'abdominal-exam' },
      prescriptions: [expect.objectContaining({ name: 'Ibuprofen 400 MG Oral Tablet' })],
    });
    const followUpId: string = completed.body.followUp.followUpId;

    // FHIR views: Encounter and the vital-sign Observations with LOINC codes.
    const encounter = await t.http().get(`/fhir/R4/Encounter/${visitId}`).query({ purpose: 'treatment' }).set('authorization', provider.auth).expect(200);
    expect(encounter.body).toMatchObject({
      resourceType: 'Encounter',
      status: 'finished',
      class: { code: 'VR' },
      subject: { reference: `Patient/${patient.patientId}` },
      appointment: [{ reference: `Appointment/${booked.appointmentId}` }],
      reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'R10.9' }] }],
    });
    const observations = await t
      .http()
      .get('/fhir/R4/Observation')
      .query({ encounter: `Encounter/${visitId}`, purpose: 'patient-access' })
      .set('authorization', patient.auth)
      .expect(200);
    const codes = observations.body.entry.map((e: { resource: { code: { coding: { code: string }[] } } }) => e.resource.code.coding.map((c) => c.code));
    expect(codes).toEqual([['8310-5'], ['85354-9'], ['8867-4'], ['2708-6', '59408-5'], ['29463-7']]);
    const bp = observations.body.entry[1].resource;
    expect(bp.component.map((c: { code: { coding: { code: string }[] }; valueQuantity: { value: number } }) => [c.code.coding[0]!.code, c.valueQuantity.value])).toEqual([
      ['8480-6', 128],
      ['8462-4', 82],
    ]);

    // Every read of the record was recorded with actor and purpose.
    const log = await t.http().get(visit('/access-log')).set('authorization', patient.auth).expect(200);
    expect(log.body.reads.map((r: { view: string; purpose: string; actor: { role: string } }) => [r.view, r.purpose, r.actor.role])).toEqual([
      ['attachment', 'treatment', 'provider'],
      ['fhir-encounter', 'treatment', 'provider'],
      ['fhir-observation', 'patient-access', 'patient'],
    ]);

    // On Kafka, keyed by the visit: what scheduling (follow-up), prescriptions and billing consume.
    const mine = await eventually(
      () => {
        const events = received.filter((e) => (e.data as { visitId?: string }).visitId === visitId);
        return events.some((e) => e.type === 'carebridge.visits.VisitCompleted.v1') ? events : undefined;
      },
      { timeoutMs: 45_000, what: 'the visit events on Kafka' },
    );
    expect(mine.map((e) => e.type.replace(/^carebridge\.visits\.|\.v1$/g, ''))).toEqual([
      'VisitOpened',
      'PatientCheckedIn',
      'ProviderJoined',
      'VitalsRecorded',
      'AttachmentShared',
      'PrescriptionIntended',
      'FollowUpRequested',
      'VisitCompleted',
    ]);
    expect(mine.every((e) => e.kafka.key === visitId)).toBe(true);
    const followUp = mine.find((e) => e.type === FollowUpRequested.type)!;
    expect(followUp.data).toEqual({
      followUpId,
      visitId,
      patientId: patient.patientId,
      providerId: provider.providerId,
      modality: 'in-person',
      reasonCode: 'abdominal-exam',
      patientState: 'NY',
      dueBy: expect.any(String),
    });
    expect(mine.find((e) => e.type.endsWith('VisitCompleted.v1'))!.data).toMatchObject({ disposition: 'in-person-follow-up', diagnosisCodes: ['R10.9'], prescriptionIntents: 1 });
    // Where the patient checked in from travels with the prescription intent (DEA registrations are per state).
    expect(mine.find((e) => e.type.endsWith('PrescriptionIntended.v1'))!.data).toMatchObject({ patientLocationState: 'NY' });
    // Minimum necessary: no note, history, instructions or sig on Kafka.
    expect(JSON.stringify(mine.map((e) => e.data))).not.toMatch(/right lower side|Exam in clinic|emergency room|every 8 hours/);
  });

  it('a cancelled booking cancels its visit; an in-person booking opens none', async () => {
    const patient = await t.patient();
    const provider = await t.provider();
    const booked = booking(patient.patientId, provider.providerId);
    const inPerson = booking(patient.patientId, provider.providerId);
    const inPersonEnvelope = envelope();
    await publish([
      booked.record,
      toKafkaRecord(
        { ...AppointmentCancelled, topic: appointmentTopic },
        { appointmentId: booked.appointmentId, patientId: patient.patientId, providerId: provider.providerId, startsAt: booked.data.startsAt, reasonCode: 'feeling-better', cancelledBy: 'patient' },
        envelope(),
      ),
      toKafkaRecord({ ...AppointmentBooked, topic: appointmentTopic }, { ...inPerson.data, modality: 'in-person' }, inPersonEnvelope),
    ]);
    const cancelled = await eventually(
      async () => {
        const response = await t.http().get(`/v1/appointments/${booked.appointmentId}/visit`).set('authorization', patient.auth);
        return response.body.status === 'cancelled' ? response.body : undefined;
      },
      { timeoutMs: 45_000, what: 'the visit cancelled' },
    );
    expect(cancelled.status).toBe('cancelled');
    // Consumed (its inbox row is there), and still no visit.
    await eventually(
      async () => ((await t.db.pool.query(`SELECT 1 FROM "${t.db.schema}".inbox WHERE event_id = $1`, [inPersonEnvelope.id])).rowCount ? true : undefined),
      { timeoutMs: 45_000, what: 'the in-person booking consumed' },
    );
    await t.http().get(`/v1/appointments/${inPerson.appointmentId}/visit`).set('authorization', patient.auth).expect(404);
  });
});
