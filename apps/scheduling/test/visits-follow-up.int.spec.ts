import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { EligibilityDetermined, FollowUpRequested, toKafkaRecord } from '@carebridge/contracts';
import { createKafka, ensureTopics } from '@carebridge/messaging';
import { eventually, testInfrastructure, uniqueName, uniqueTopic } from '@carebridge/testing';
import { type SchedulingTestApp, startSchedulingApp } from './scheduling-app.fixtures';

let kafka: Kafka;
let t: SchedulingTestApp;
const visitsTopic = uniqueTopic('visit');
const eligibilityTopic = uniqueTopic('eligibility');

beforeAll(async () => {
  kafka = createKafka({ brokers: testInfrastructure.kafkaBrokers, clientId: 'scheduling-follow-up-test' });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [visitsTopic, eligibilityTopic].map((topic) => ({ topic, partitions: 3 })));
  await admin.disconnect();
  t = await startSchedulingApp({ messaging: { kafka, groupId: uniqueName('scheduling'), topics: { [EligibilityDetermined.topic]: eligibilityTopic, [FollowUpRequested.topic]: visitsTopic } } });
});
afterAll(async () => {
  await t.close();
});

describe("visits' follow-up requests", () => {
  it('become a waitlist entry for an in-person appointment with the same provider until the follow-up is due, once', async () => {
    const patient = await t.patient();
    const followUpId = randomUUID();
    const providerId = randomUUID();
    const dueBy = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const record = toKafkaRecord(
      { ...FollowUpRequested, topic: visitsTopic },
      { followUpId, visitId: randomUUID(), patientId: patient.patientId, providerId, modality: 'in-person', reasonCode: 'abdominal-exam', patientState: 'NY', dueBy },
      { id: randomUUID(), time: new Date(), correlationId: randomUUID(), actor: { id: 'provider-1', role: 'provider' } },
    );
    const producer = kafka.producer();
    await producer.connect();
    try {
      // Delivered twice: the inbox makes it one entry.
      for (let i = 0; i < 2; i++) await producer.send({ topic: record.topic, messages: [{ key: record.key, value: record.value, headers: record.headers }] });
    } finally {
      await producer.disconnect();
    }

    const entry = await eventually(
      async () => {
        const response = await t.http().get(`/v1/waitlist/${followUpId}`).set('authorization', `Bearer ${patient.token}`);
        return response.status === 200 ? response.body : undefined;
      },
      { timeoutMs: 45_000, what: 'the follow-up as a waitlist entry' },
    );
    expect(entry).toMatchObject({ entryId: followUpId, patientId: patient.patientId, providerId, modality: 'in-person', patientState: 'NY', to: dueBy, status: 'waiting' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const events = await t.store.readStream(`waitlist-${followUpId}`);
    expect(events.map((e) => e.type)).toEqual(['WaitlistJoined']);
    expect(events[0]!.metadata).toMatchObject({ actor: { id: 'visits', role: 'system' }, causationId: expect.any(String) });
  });
});
