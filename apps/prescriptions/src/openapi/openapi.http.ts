import { Controller, Get } from '@nestjs/common';
import { Public } from '@carebridge/platform';
import { openApiDocument } from './prescriptions.openapi';

@Controller('v1')
export class OpenApiController {
  private readonly document = openApiDocument();

  @Get('openapi.json')
  @Public()
  openApi() {
    return this.document;
  }
}
