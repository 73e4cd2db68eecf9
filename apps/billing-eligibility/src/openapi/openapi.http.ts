import { Controller, Get } from '@nestjs/common';
import { Public } from '@carebridge/platform';
import { billingEligibilityOpenApi } from './billing-eligibility.openapi';

/** The OpenAPI document the platform's Swagger UI (`/docs/`) loads as `../v1/openapi.json`. */
@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = billingEligibilityOpenApi();

  @Get()
  get() {
    return this.document;
  }
}
