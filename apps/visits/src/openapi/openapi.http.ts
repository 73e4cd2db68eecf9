import { Controller, Get } from '@nestjs/common';
import { Public } from '@carebridge/platform';
import { visitsOpenApi } from './visits.openapi';

@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = visitsOpenApi();

  @Get()
  get() {
    return this.document;
  }
}
