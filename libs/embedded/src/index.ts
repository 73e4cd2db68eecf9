export * from './embedded-postgres';
export * from './platform/embedded-platform';
export * from './bus';
