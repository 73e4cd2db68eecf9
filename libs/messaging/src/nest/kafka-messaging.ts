import type { INestApplication } from '@nestjs/common';
import type { MessageBroker } from '../broker/message-broker.port';
import { ensureTopics, kafkaBroker, kafkaLogCreator, type KafkaSettings } from '../kafka';
import { MessagingHost } from './messaging.module';

type Logger = Parameters<typeof kafkaLogCreator>[0];

/**
 * The distributed profile's broker, for `runDistributed(definition, { messaging: kafkaMessaging })`
 * of libs/platform (which knows no broker): kafkajs on the Kafka cluster.
 */
export const kafkaMessaging = {
  client(settings: KafkaSettings, logger: Logger): MessageBroker {
    return kafkaBroker(settings, { logCreator: kafkaLogCreator(logger) });
  },

  async ensureTopics(kafka: MessageBroker, topics: readonly string[], partitions: number): Promise<void> {
    const admin = kafka.admin();
    try {
      await admin.connect();
      await ensureTopics(admin, topics.map((topic) => ({ topic, partitions })));
    } finally {
      await admin.disconnect();
    }
  },

  /** The relay's and consumer groups' problems; none for a service without them. */
  problems(app: INestApplication): () => string[] {
    let host: MessagingHost | undefined;
    try {
      host = app.get(MessagingHost, { strict: false });
    } catch {
      host = undefined; // a service without relay or consumers
    }
    return () => host?.problems() ?? [];
  },
};
