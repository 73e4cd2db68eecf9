import { consumerGroupTiming } from './kafka';

describe('consumer group timing (issue 21: a member lost with a broker restart holds the rebalance for its session)', () => {
  it('keeps 6 s sessions and 1 s heartbeats by default (the minimum brokers allow unless told otherwise)', () => {
    expect(consumerGroupTiming({})).toEqual({ sessionTimeout: 6_000, rebalanceTimeout: 20_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 1_000 });
  });

  it('takes KAFKA_CONSUMER_SESSION_TIMEOUT_MS, with a heartbeat every third of it (at most 1 s)', () => {
    expect(consumerGroupTiming({ KAFKA_CONSUMER_SESSION_TIMEOUT_MS: '3000' })).toMatchObject({ sessionTimeout: 3_000, heartbeatInterval: 1_000 });
    expect(consumerGroupTiming({ KAFKA_CONSUMER_SESSION_TIMEOUT_MS: '1500' })).toMatchObject({ sessionTimeout: 1_500, heartbeatInterval: 500 });
  });

  it.each(['abc', '999', '2.5', '300001'])('refuses %s, naming the variable', (value) => {
    expect(() => consumerGroupTiming({ KAFKA_CONSUMER_SESSION_TIMEOUT_MS: value })).toThrow(/KAFKA_CONSUMER_SESSION_TIMEOUT_MS must be an integer from 1000 to 300000/);
  });
});
