export { EmbeddedKafka, EmbeddedConsumer, partitionForKey } from './embedded-kafka';
export type { BusMessage, EachBatchPayload, EachMessagePayload } from './embedded-kafka';
