import { Controller, Get } from '@nestjs/common';
import { Public } from '@carebridge/platform';
import { monitoringOpenApi } from './monitoring.openapi';

@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = monitoringOpenApi();

  @Get()
  get() {
    return this.document;
  }
}
