import { Controller, Get } from '@nestjs/common';
import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { Public, withPathParameters } from '@carebridge/platform';
import { billingEligibilityOpenApi } from './openapi';
import { BILLING_ACCESS_POLICY } from '../access-policy';

/** The OpenAPI document the platform's Swagger UI (`/docs/`) loads as `../v1/openapi.json`. */
@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = documentWithAccessPolicy(withPathParameters(billingEligibilityOpenApi()), BILLING_ACCESS_POLICY);

  @Get()
  get() {
    return this.document;
  }
}
