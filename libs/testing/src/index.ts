export * from './infrastructure';
export * from './kafka';
export * from './timeouts';
export * from './private-servers';
export * from './openapi-routes';
