export * from './embedded-postgres';
export * from './bus/embedded-kafka';
