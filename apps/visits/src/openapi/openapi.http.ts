import { Controller, Get } from '@nestjs/common';
import { Public, withPathParameters } from '@carebridge/platform';
import { visitsOpenApi } from './openapi';

@Public()
@Controller('v1/openapi.json')
export class OpenApiController {
  private readonly document = withPathParameters(visitsOpenApi());

  @Get()
  get() {
    return this.document;
  }
}
