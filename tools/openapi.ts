/**
 * npm run contracts:openapi (and `npm run lint`): writes each service's OpenAPI document, as the
 * service serves it and its request gate checks requests with, to dist/openapi/<service>.json,
 * from the service definitions alone (no service started), for Redocly to lint.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { billingEligibilityService } from '../apps/billing-eligibility/src/billing-eligibility.service';
import { monitoringService } from '../apps/monitoring/src/monitoring.service';
import { prescriptionsService } from '../apps/prescriptions/src/prescriptions.service';
import { schedulingService } from '../apps/scheduling/src/scheduling.service';
import { visitsService } from '../apps/visits/src/visits.service';

const out = path.join(__dirname, '..', 'dist', 'openapi');
mkdirSync(out, { recursive: true });
for (const service of [schedulingService, visitsService, prescriptionsService, monitoringService, billingEligibilityService]) {
  if (!service.openApi) throw new Error(`${service.name} has no OpenAPI document`);
  const document = service.openApi();
  writeFileSync(path.join(out, `${service.name}.json`), JSON.stringify(document, null, 2) + '\n');
  const operations = Object.values(document.paths).flatMap((item) => Object.keys(item).filter((key) => ['get', 'put', 'post', 'patch', 'delete'].includes(key)));
  console.log(`[openapi] ${service.name}: ${operations.length} operations -> ${path.relative(process.cwd(), path.join(out, `${service.name}.json`))}`);
}
