import type { BrokerAdmin } from '@carebridge/messaging';
import { testInfrastructure, uniqueTopic } from '@carebridge/testing';
import { dlqTopic, ensureTopics, kafkaBroker } from './kafka';

// ensureTopics resolves only once every partition has a leader (it waits itself: kafkajs' wait gave
// up on a broker that was still loading), so what it created can be used at once.
let admin: BrokerAdmin;

beforeAll(async () => {
  admin = kafkaBroker({ brokers: testInfrastructure.kafkaBrokers, clientId: 'ensure-topics-test' }).admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

describe('ensureTopics on the Kafka broker', () => {
  it('creates a topic and its dead-letter topic with a leader for every partition', async () => {
    const topic = uniqueTopic();
    await expect(ensureTopics(admin, [{ topic, partitions: 3 }])).resolves.toEqual([topic, dlqTopic(topic)]);

    const { topics } = await admin.fetchTopicMetadata({ topics: [topic, dlqTopic(topic)] });
    expect(topics).toHaveLength(2);
    for (const t of topics) {
      expect(t.partitions).toHaveLength(3);
      expect(t.partitions.every((p) => p.leader >= 0)).toBe(true);
    }
  });

  it('leaves existing topics alone and still answers once they are led', async () => {
    const topic = uniqueTopic();
    await ensureTopics(admin, [{ topic, partitions: 1, withDlq: false }]);
    await expect(ensureTopics(admin, [{ topic, partitions: 1, withDlq: false }])).resolves.toEqual([]);
  });
});
