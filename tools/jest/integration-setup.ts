import { hangTimeouts } from '../../libs/testing/src/timeouts';

// Integration tests wait on real servers (Kafka group joins take seconds). The timeout catches a
// hang; it is named and scaled (CAREBRIDGE_TEST_TIME_FACTOR) in libs/testing/src/timeouts.ts.
jest.setTimeout(hangTimeouts.integrationTest);
