import request from 'supertest';
import { routeDrift } from '@carebridge/testing';
import { type MonitoringTestApp, startMonitoringApp } from './monitoring-app.fixtures';
import { monitoringService } from '../src/monitoring.service';

/** Issue 18: the OpenAPI document (what the request gate checks and `npm run lint` lints) against the running service's routes and handlers. */
describe('monitoring OpenAPI document and routes', () => {
  let t: MonitoringTestApp;
  afterAll(() => t?.close());
  beforeAll(async () => {
    t = await startMonitoringApp();
  });

  it('serves the document its service definition gives the request gate and the Redocly lint', async () => {
    const served = (await request(t.app.getHttpServer()).get('/v1/openapi.json').expect(200)).body;
    expect(served).toEqual(JSON.parse(JSON.stringify(monitoringService.openApi!())));
  });

  it('documents every route the service serves and no other, each as its handler declares it (status, body, query, headers, security)', async () => {
    const served = (await request(t.app.getHttpServer()).get('/v1/openapi.json').expect(200)).body;
    expect(routeDrift(t.app, served)).toEqual({ undocumented: [], unserved: [], mismatches: [] });
  });
});
