// The messaging suites' helpers (`@carebridge/testing/messaging`): apart from the main entry so a
// test that needs no broker loads neither kafkajs nor the in-process bus.
export { testBus, testKafka } from './test-kafka';
export { collectTopic, header } from './kafka-test-helpers';
export { testContract } from './test-events';
