import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import {
  ContractRegistry,
  DeviceReadingsReported,
  MonitoringAlertRaised,
  PrescriptionFillRecorded,
  RpmPeriodClosed,
  toKafkaRecord,
} from '@carebridge/contracts';
import { IntegrationConsumer, type ReceivedEvent, createKafka, ensureTopics, on } from '@carebridge/messaging';
import { eventually, testInfrastructure, uniqueName, uniqueTopic } from '@carebridge/testing';
import { MONITORING_TOPICS } from '../src/integration/monitoring.publisher';
import { type MonitoringTestApp, daysAgo, enrolPatient, minutesAgo, startMonitoringApp } from './monitoring-app.fixtures';

let kafka: Kafka;
let producer: Producer;
let t: MonitoringTestApp;
let listener: IntegrationConsumer;
const received: ReceivedEvent[] = [];
const readingTopic = uniqueTopic('reading');
const prescriptionTopic = uniqueTopic('prescription');
const envelope = () => ({ id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: 'gateway-1', role: 'system' } });

beforeAll(async () => {
  kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'monitoring-kafka-test' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [...MONITORING_TOPICS, readingTopic, prescriptionTopic].map((topic) => ({ topic, partitions: 3 })));
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
  t = await startMonitoringApp({
    messaging: {
      kafka,
      groupId: uniqueName('monitoring'),
      topics: { [DeviceReadingsReported.topic]: readingTopic, [PrescriptionFillRecorded.topic]: prescriptionTopic },
    },
    jobs: { kind: 'redis', url: testInfrastructure.redisUrl, prefix: uniqueName('monitoring-kafka') },
    rpmClose: { every: 1_000 },
  });
  const listenerGroup = uniqueName('monitoring-events-test');
  listener = new IntegrationConsumer({
    groupId: listenerGroup,
    fromBeginning: false,
    kafka,
    pool: t.db.pool,
    schema: t.db.schema,
    registry: new ContractRegistry([MonitoringAlertRaised, RpmPeriodClosed]),
    handlers: [on(MonitoringAlertRaised, async (event) => void received.push(event)), on(RpmPeriodClosed, async (event) => void received.push(event))],
  });
  // From the topics' ends, once the group has its partitions: the shared broker's monitoring topics
  // hold every earlier run's alerts (benchmarks publish tens of thousands), and reading them all
  // through an inbox outlasted the test's wait (seen 2026-12-07 with 29,500 alerts on the topic).
  await listener.start();
  const probe = kafka.admin();
  await probe.connect();
  try {
    await eventually(async () => ((await probe.describeGroups([listenerGroup])).groups[0]?.state === 'Stable' ? true : undefined), { what: 'the listener in its group' });
  } finally {
    await probe.disconnect();
  }
});
afterAll(async () => {
  await listener?.stop();
  await producer?.disconnect();
  await t?.close();
});

const send = async (record: { key: string; value: string; headers: Record<string, string> }, topic: string) =>
  producer.send({ topic, messages: [{ key: record.key, value: record.value, headers: record.headers }] });

describe('device gateway topic', () => {
  it('stores readings once even when a message is delivered twice, raises the alert and publishes it', async () => {
    const p = await enrolPatient(t, { conditions: ['hypertension'] });
    const record = toKafkaRecord(
      DeviceReadingsReported,
      {
        deviceId: p.deviceId,
        readings: [
          { type: 'blood-pressure', measuredAt: minutesAgo(2), systolic: 190, diastolic: 100, unit: 'mmHg' },
          { type: 'heart-rate', measuredAt: minutesAgo(2), value: 88 },
          { type: 'spo2', measuredAt: minutesAgo(2), value: 150 },
        ],
      },
      envelope(),
    );
    await send(record, readingTopic);
    await send(record, readingTopic);
    await send({ key: p.deviceId, value: '{"not":"an event"}', headers: {} }, readingTopic);
    const alert = await eventually(() => received.find((e) => e.type === MonitoringAlertRaised.type && (e.data as { patientId: string }).patientId === p.patientId), {
      timeoutMs: 30_000,
    });
    expect(alert.data).toMatchObject({ ruleId: 'bp-hypertensive-crisis', severity: 'critical', kind: 'threshold', assigneeId: p.careTeam[0]!.providerId });
    expect(alert.kafka.key).toBe(p.patientId);
    // Threshold alerts do not wait for the read model (alerting follows the log): the readings may show up there after.
    const kinds = async () =>
      (await t.db.pool.query(`SELECT kind FROM "${t.db.schema}".readings WHERE patient_id = $1 ORDER BY kind`, [p.patientId])).rows.map((r) => r.kind as string);
    await eventually(async () => ((await kinds()).length >= 2 ? true : undefined), { what: 'the readings in the read model' });
    expect(await kinds()).toEqual(['blood-pressure', 'heart-rate']);

    // The message that is not a DeviceReadingsReported went to the dead-letter topic with the reason.
    const dlq = kafka.consumer({ groupId: uniqueName('monitoring-dlq-test') });
    const dead: { value: string; error: string }[] = [];
    await dlq.connect();
    try {
      await dlq.subscribe({ topic: `${readingTopic}.dlq`, fromBeginning: true });
      await dlq.run({ eachMessage: async ({ message }) => void dead.push({ value: message.value!.toString(), error: message.headers!['dlq-error']!.toString() }) });
      const letter = await eventually(() => dead.find((d) => d.value === '{"not":"an event"}'), { timeoutMs: 30_000 });
      expect(letter.error).toContain('type');
    } finally {
      await dlq.disconnect();
    }
  });
});

describe('prescriptions', () => {
  it('records a monitored patient\'s pharmacy fill for adherence', async () => {
    const p = await enrolPatient(t);
    const record = toKafkaRecord(
      PrescriptionFillRecorded,
      {
        prescriptionId: randomUUID(),
        patientId: p.patientId,
        rxnormCode: '197361',
        fillStatus: 'dispensed',
        quantityDispensed: 30,
        daysSupply: 30,
        filledAt: daysAgo(2),
      },
      envelope(),
    );
    await send(record, prescriptionTopic);
    const adherence = await eventually(async () => {
      const r = await t.http().get(`/v1/patients/${p.patientId}/adherence`).set('authorization', `Bearer ${p.patientToken}`).expect(200);
      return r.body.activeFills.length === 1 ? r.body : undefined;
    }, { timeoutMs: 30_000 });
    expect(adherence.activeFills[0]).toMatchObject({ rxnormCode: '197361' });
  });
});

describe('RPM period close', () => {
  it('the job scheduler closes ended periods without being asked', async () => {
    const p = await enrolPatient(t);
    const ops = await t.ops();
    await t
      .http()
      .post('/v1/readings/batch')
      .set('authorization', `Bearer ${ops}`)
      .send({ readings: Array.from({ length: 3 }, (_, i) => ({ deviceId: p.deviceId, type: 'heart-rate', measuredAt: daysAgo(80 - i), value: 70 })) })
      .expect(200);
    const closed = await eventually(() => received.find((e) => e.type === RpmPeriodClosed.type && (e.data as { patientId: string }).patientId === p.patientId), {
      timeoutMs: 30_000,
    });
    expect(closed.data).toMatchObject({ daysWithReadings: 3, codes: [{ code: '99445', units: 1 }, { code: '99453', units: 1 }] });
  });

  it('publishes RpmPeriodClosed with the codes for billing-eligibility', async () => {
    const p = await enrolPatient(t);
    const ops = await t.ops();
    await t
      .http()
      .post('/v1/readings/batch')
      .set('authorization', `Bearer ${ops}`)
      .send({ readings: Array.from({ length: 16 }, (_, i) => ({ deviceId: p.deviceId, type: 'heart-rate', measuredAt: daysAgo(70 - i), value: 70 })) })
      .expect(200);
    await eventually(async () => {
      const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM "${t.db.schema}".reading_days WHERE patient_id = $1`, [p.patientId]);
      return rows[0].n === 16 ? true : undefined;
    });
    await t.http().post('/v1/rpm/periods/close-due').set('authorization', `Bearer ${ops}`).send({ patientIds: [p.patientId] }).expect(200);
    const closed = await eventually(() => received.find((e) => e.type === RpmPeriodClosed.type && (e.data as { patientId: string }).patientId === p.patientId), {
      timeoutMs: 30_000,
    });
    expect(closed.data).toMatchObject({ daysWithReadings: 16, codes: [{ code: '99454', units: 1 }, { code: '99453', units: 1 }], ruleSet: { version: '2026' } });
  });
});
