export * from './integration-event';
export * from './cloud-event';
export * from './asyncapi';
export { z } from 'zod';
export * from './catalog';
