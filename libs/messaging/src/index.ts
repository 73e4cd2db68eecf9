export * from './kafka';
export * from './trace-context';
export * from './migrations';
export * from './relay/outgoing';
export * from './relay/relay';
export * from './consumer/integration-consumer';
export * from './nest/messaging.module';
export * from './nest/messaging-metrics';
