import { Controller, Get } from '@nestjs/common';
import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { Public, withPathParameters } from '@carebridge/platform';
import { schedulingOpenApi } from './openapi';
import { SCHEDULING_ACCESS_POLICY } from '../access-policy';

@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = documentWithAccessPolicy(withPathParameters(schedulingOpenApi()), SCHEDULING_ACCESS_POLICY);

  @Get()
  get() {
    return this.document;
  }
}
