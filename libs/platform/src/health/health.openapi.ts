import { z } from 'zod';
import type { ApiOperation } from '../docs/openapi-document';

const check = z.looseObject({ status: z.string() });
const readiness = z.looseObject({ status: z.enum(['ready', 'unavailable']), checks: z.record(z.string(), check), warnings: z.array(z.string()).optional() });
// A malformed query (bad percent-encoding, too many parameters) is refused by the request gate.
const probe = { security: [], tags: ['health'], problems: [400] } as const;

/** `GET /health/live` and `GET /health/ready` (HealthModule), in every service's document. */
export const HEALTH_OPERATIONS: readonly ApiOperation[] = [
  { method: 'get', path: '/health/live', operationId: 'healthLive', summary: 'Liveness: answers while the event loop runs', ...probe, responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } } },
  {
    method: 'get',
    path: '/health/ready',
    operationId: 'healthReady',
    summary: 'Readiness: every dependency (PostgreSQL, Kafka, Redis) answers',
    ...probe,
    responses: { 200: { description: 'Ready', schema: readiness }, 503: { description: 'Not ready: the report names the check that failed', schema: readiness } },
  },
];
