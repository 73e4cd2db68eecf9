import { Controller, Get } from '@nestjs/common';
import { documentWithAccessPolicy } from '@carebridge/access-audit';
import { Public } from '@carebridge/platform';
import { openApiDocument } from './openapi';
import { PRESCRIPTIONS_ACCESS_POLICY } from '../http/access-policy';

@Controller('v1')
export class OpenApiController {
  private readonly document = documentWithAccessPolicy(openApiDocument(), PRESCRIPTIONS_ACCESS_POLICY);

  @Get('openapi.json')
  @Public()
  openApi() {
    return this.document;
  }
}
