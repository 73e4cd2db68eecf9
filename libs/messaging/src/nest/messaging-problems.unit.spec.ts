import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { ContractRegistry } from '@carebridge/contracts';
import { MessagingHost } from './messaging.module';

// Issue 21: readiness reports what the relay and consumers wait for, without making the instance unready.
describe('what keeps messaging from working, for /health/ready details', () => {
  const host = new MessagingHost({
    consumers: [
      { groupId: 'scheduling', kafka: {} as Kafka, pool: {} as Pool, schema: 's', registry: new ContractRegistry(), handlers: [] },
      { groupId: 'scheduling.projections', kafka: {} as Kafka, pool: {} as Pool, schema: 's', registry: new ContractRegistry(), handlers: [] },
    ],
  });

  it('is nothing while every consumer group works', () => {
    expect(host.problems()).toEqual([]);
  });

  it('names a consumer group waiting for PostgreSQL or the broker, and for how long', () => {
    host.consumers[1]!.stats.waitingSince = 1_000;
    expect(host.problems(13_000)).toEqual(['consumer group scheduling.projections waiting for the infrastructure for 12 s']);
  });
});
