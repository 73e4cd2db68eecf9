import type { TopicMetadata } from './broker/message-broker.port';
import { ensureTopics } from './kafka';

// A freshly started broker answers UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created while
// it is still loading; kafkajs' createTopics(waitForLeaders) gave up on it and topic set-up failed now and then.
const notHosted = Object.assign(new Error('This server does not host this topic-partition'), {
  name: 'KafkaJSProtocolError',
  type: 'UNKNOWN_TOPIC_OR_PARTITION',
  retriable: true,
});

function led(name: string, partitions = 1, leader = 1): TopicMetadata {
  return { name, partitions: Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader, partitionErrorCode: 0 })) };
}

function fakeAdmin(existing: string[], answers: (topics: string[]) => TopicMetadata[] | Error) {
  const calls = { created: [] as { topics: string[]; waitForLeaders?: boolean }[], metadata: 0 };
  const admin = {
    listTopics: async () => existing,
    createTopics: async (request: { topics: { topic: string }[]; waitForLeaders?: boolean }) => {
      calls.created.push({ topics: request.topics.map((t) => t.topic), waitForLeaders: request.waitForLeaders });
      return true;
    },
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      calls.metadata += 1;
      const answer = answers(topics);
      if (answer instanceof Error) throw answer;
      return { topics: answer };
    },
  };
  return { admin, calls };
}

describe('ensureTopics', () => {
  it('creates the missing topics and their dead-letter topics, and waits for leaders itself', async () => {
    const { admin, calls } = fakeAdmin(['a'], (topics) => topics.map((t) => led(t)));
    await expect(ensureTopics(admin, [{ topic: 'a', partitions: 1 }, { topic: 'b', partitions: 1 }])).resolves.toEqual(['a.dlq', 'b', 'b.dlq']);
    expect(calls.created).toEqual([{ topics: ['a.dlq', 'b', 'b.dlq'], waitForLeaders: false }]);
    expect(calls.metadata).toBe(1);
  });

  it('asks again while the broker does not host the new topic yet', async () => {
    let answered = 0;
    const { admin, calls } = fakeAdmin([], (topics) => (++answered <= 2 ? notHosted : topics.map((t) => led(t, 3))));
    await expect(ensureTopics(admin, [{ topic: 'visits', partitions: 3, withDlq: false }])).resolves.toEqual(['visits']);
    expect(calls.metadata).toBe(3);
  });

  it('asks again while a partition has no leader, only for the topics still waiting', async () => {
    const asked: string[][] = [];
    const { admin } = fakeAdmin(['a', 'b'], (topics) => {
      asked.push(topics);
      return topics.map((t) => (t === 'b' && asked.length === 1 ? led(t, 2, -1) : led(t, 2)));
    });
    await expect(ensureTopics(admin, [{ topic: 'a', partitions: 2, withDlq: false }, { topic: 'b', partitions: 2, withDlq: false }])).resolves.toEqual([]);
    expect(asked).toEqual([['a', 'b'], ['b']]);
  });

  it('also retries a retriable error that kafkajs gave up on', async () => {
    let answered = 0;
    const exhausted = Object.assign(new Error('There is no leader for this topic-partition'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
      retriable: false,
      cause: Object.assign(new Error('no leader'), { type: 'LEADER_NOT_AVAILABLE', retriable: true }),
    });
    const { admin } = fakeAdmin([], (topics) => (++answered === 1 ? exhausted : topics.map((t) => led(t))));
    await expect(ensureTopics(admin, [{ topic: 't', partitions: 1, withDlq: false }])).resolves.toEqual(['t']);
  });

  it('fails at once on an error that asking again will not cure', async () => {
    const denied = Object.assign(new Error('Not authorized to access topics'), { type: 'TOPIC_AUTHORIZATION_FAILED', retriable: false });
    const { admin, calls } = fakeAdmin([], () => denied);
    await expect(ensureTopics(admin, [{ topic: 't', partitions: 1 }])).rejects.toBe(denied);
    expect(calls.metadata).toBe(1);
  });

  it('gives up after the timeout naming the topics without leaders', async () => {
    const { admin } = fakeAdmin([], (topics) => topics.map((t) => (t === 'slow' ? led(t, 1, -1) : led(t))));
    await expect(
      ensureTopics(admin, [{ topic: 'fast', partitions: 1, withDlq: false }, { topic: 'slow', partitions: 1 }], { leaderTimeoutMs: 200 }),
    ).rejects.toThrow('Kafka topics without a leader for every partition after 200 ms: slow');
  });

  it('names the last error when the broker never answered', async () => {
    const { admin } = fakeAdmin([], () => notHosted);
    await expect(ensureTopics(admin, [{ topic: 'x', partitions: 1, withDlq: false }], { leaderTimeoutMs: 100 })).rejects.toThrow(
      'Kafka topics without a leader for every partition after 100 ms: x: last error This server does not host this topic-partition',
    );
  });
});
