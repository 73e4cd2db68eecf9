import { testInfrastructure, type TestSchema } from '../index';
import { InProcessBroker } from '@carebridge/embedded/bus';
import { kafkaBroker, type MessageBroker } from '@carebridge/messaging';

/** Which bus the messaging suites run on: the real Kafka broker, or the embedded profile's in-process bus. */
export const testBus = process.env.CAREBRIDGE_TEST_BUS === 'in-process' ? 'in-process' : 'kafka';

/**
 * The same suite on both buses: `CAREBRIDGE_TEST_BUS=in-process` runs it on the in-process bus
 * (its log in a schema of this test file), otherwise on the Kafka broker of `npm run infra:up`.
 */
export function testKafka(clientId: string, db: TestSchema): MessageBroker {
  if (testBus === 'in-process') {
    return new InProcessBroker({ pool: db.pool, schema: db.sibling('bus'), retryBackoffMs: 50, idlePollMs: 200, onError: () => undefined });
  }
  return kafkaBroker({ brokers: testInfrastructure.kafkaBrokers, clientId });
}
