export * from './embedded-postgres';
export * from './platform/embedded-platform';
// The in-process bus lives with the other Kafka adapters in libs/messaging; re-exported for the embedded profile's callers.
export { EmbeddedKafka, EmbeddedConsumer, partitionForKey } from '@carebridge/messaging';
export type { BusMessage, EachBatchPayload, EachMessagePayload } from '@carebridge/messaging';
