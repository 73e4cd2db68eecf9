import request from 'supertest';
import { routeDrift } from '@carebridge/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { TestSchema } from '@carebridge/testing';
import { startBillingApp } from './billing-app.fixtures';
import { billingEligibilityService } from '../src/billing-eligibility.service';

/** Issue 18: the OpenAPI document (what the request gate checks and `npm run lint` lints) against the running service's routes and handlers. */
describe('billing-eligibility OpenAPI document and routes', () => {
  let db: TestSchema;
  let app: NestExpressApplication;
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });
  beforeAll(async () => {
    ({ db, app } = await startBillingApp('billing_openapi_routes'));
  });

  it('serves the document its service definition gives the request gate and the Redocly lint', async () => {
    const served = (await request(app.getHttpServer()).get('/v1/openapi.json').expect(200)).body;
    expect(served).toEqual(JSON.parse(JSON.stringify(billingEligibilityService.openApi!())));
  });

  it('documents every route the service serves and no other, each as its handler declares it (status, body, query, headers, security)', async () => {
    const served = (await request(app.getHttpServer()).get('/v1/openapi.json').expect(200)).body;
    expect(routeDrift(app, served)).toEqual({ undocumented: [], unserved: [], mismatches: [] });
  });
});
