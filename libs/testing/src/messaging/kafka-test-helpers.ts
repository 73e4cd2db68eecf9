import type { DeliveredMessage, MessageBroker } from '@carebridge/messaging';
import { hangTimeouts, scaled, timeFactor, uniqueName } from '../index';

/** Reads a topic from the beginning with a fresh group until `done` says enough (or a hang: `timeoutMs` scaled). */
export async function collectTopic(
  kafka: MessageBroker,
  topic: string,
  done: (messages: DeliveredMessage[]) => boolean,
  timeoutMs = hangTimeouts.kafkaCollect / timeFactor,
): Promise<DeliveredMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('collector'), allowAutoTopicCreation: false });
  const messages: DeliveredMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out collecting ${topic}: got ${messages.length} messages`)),
        Math.max(scaled(timeoutMs), hangTimeouts.kafkaCollect),
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          messages.push(message);
          if (done(messages)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

export function header(message: DeliveredMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  return value === undefined ? undefined : (Array.isArray(value) ? value[0] : value)?.toString();
}
