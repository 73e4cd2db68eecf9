// Integration tests wait on real servers (Kafka group joins take seconds).
jest.setTimeout(90_000);
