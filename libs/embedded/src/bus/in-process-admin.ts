import type { BrokerAdmin, NewTopic } from '@carebridge/messaging';
import type { BusLog } from './bus-log';

/** The admin side of the broker port on the in-process bus: topics, partition ends, group commits. */
export function inProcessAdmin(bus: BusLog): BrokerAdmin {
  return {
    connect: () => bus.init(),
    disconnect: async () => undefined,
    listTopics: async () => {
      await bus.init();
      return [...bus.topics().keys()];
    },
    createTopics: async ({ topics }: { topics: NewTopic[] }) => {
      await bus.init();
      let created = false;
      for (const t of topics) created = (await bus.createTopic(t.topic, t.numPartitions ?? bus.defaultPartitions())) || created;
      return created;
    },
    // One process is every partition's leader (node 0, as describeCluster says).
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => {
      await bus.init();
      return {
        topics: topics.map((name) => ({
          name,
          partitions: Array.from({ length: bus.topics().get(name) ?? 0 }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0 })),
        })),
      };
    },
    describeCluster: async () => {
      await bus.init();
      return { brokers: [{ nodeId: 0, host: 'in-process', port: 0 }], controller: 0, clusterId: 'carebridge-embedded' };
    },
    fetchTopicOffsets: async (topic: string) => {
      await bus.init();
      const n = bus.topics().get(topic) ?? 0;
      return Array.from({ length: n }, (_, partition) => {
        const high = String(bus.endOffset(topic, partition));
        return { partition, offset: high, high, low: '0' };
      });
    },
    fetchOffsets: async ({ groupId, topics }: { groupId: string; topics: string[] }) => {
      await bus.init();
      const rows = await bus.pool.query<{ topic: string; partition: number; next_offset: string }>(
        `SELECT topic, partition, next_offset FROM ${bus.schema}.group_offsets WHERE group_id = $1 AND topic = ANY($2)`,
        [groupId, topics],
      );
      return topics.map((topic) => ({
        topic,
        partitions: Array.from({ length: bus.topics().get(topic) ?? 0 }, (_, partition) => {
          const row = rows.rows.find((r) => r.topic === topic && r.partition === partition);
          return { partition, offset: row ? String(row.next_offset) : '-1' };
        }),
      }));
    },
  };
}
