export { InProcessBroker, type InProcessBrokerOptions, type InProcessProducer, type RecordMetadata } from './in-process-broker';
export type { BusMessage } from './bus-log';
export { InProcessConsumer } from './in-process-consumer';
export { partitionForKey } from './partitioner';
