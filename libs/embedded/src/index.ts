export * from './embedded-postgres';
export * from './bus/embedded-kafka';
export * from './platform/embedded-platform';
