import { Controller, Get } from '@nestjs/common';
import { Public } from '@carebridge/platform';
import { monitoringOpenApi } from './openapi';

@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = monitoringOpenApi();

  @Get()
  get() {
    return this.document;
  }
}
