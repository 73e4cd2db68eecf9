/** Test helpers (supertest): import from '@carebridge/access-audit/testing', never from service code. */
export { readAccessEvents } from './access-events';
export { runPolicyMatrix, servedRoutes } from './policy-matrix';
export type { PolicyMatrixReport, PolicyMatrixSubject } from './policy-matrix';
