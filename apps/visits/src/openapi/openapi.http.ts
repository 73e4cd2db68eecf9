import { Controller, Get } from '@nestjs/common';
import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { Public, withPathParameters } from '@carebridge/platform';
import { visitsOpenApi } from './openapi';
import { VISITS_ACCESS_POLICY } from '../access-policy';

@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = documentWithAccessPolicy(withPathParameters(visitsOpenApi()), VISITS_ACCESS_POLICY);

  @Get()
  get() {
    return this.document;
  }
}
