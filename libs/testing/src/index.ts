export * from './infrastructure';
export * from './kafka';
