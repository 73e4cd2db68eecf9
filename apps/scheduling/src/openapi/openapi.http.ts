import { Controller, Get } from '@nestjs/common';
import { Public } from '@carebridge/platform';
import { schedulingOpenApi } from './scheduling.openapi';

@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = schedulingOpenApi();

  @Get()
  get() {
    return this.document;
  }
}
