import { Controller, Get } from '@nestjs/common';
import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { Public } from '@carebridge/platform';
import { monitoringOpenApi } from './openapi';
import { MONITORING_ACCESS_POLICY } from '../access-policy';

@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = documentWithAccessPolicy(monitoringOpenApi(), MONITORING_ACCESS_POLICY);

  @Get()
  get() {
    return this.document;
  }
}
