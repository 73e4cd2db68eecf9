import {
  Controller,
  type DynamicModule,
  Get,
  Inject,
  Module,
  type OnApplicationShutdown,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import { DEFAULT_CHECK_TIMEOUT_MS, type ReadinessCheck, type ReadinessReport, runReadinessChecks } from './readiness';

export interface HealthOptions {
  readonly checks: readonly ReadinessCheck[];
  /** Per check. */
  readonly timeoutMs?: number;
  /** Warnings added to the readiness report; they never make the instance unready. */
  readonly warnings?: () => readonly string[];
}

const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');

@Public()
@Controller('health')
class HealthController {
  constructor(@Inject(HEALTH_OPTIONS) private readonly options: HealthOptions) {}

  /** Answers while the event loop runs; failing it makes the orchestrator restart the process. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 503 takes the instance out of the load balancer until its dependencies answer again. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) response: Response): Promise<ReadinessReport> {
    const report = await runReadinessChecks(
      this.options.checks,
      this.options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    );
    response.status(report.status === 'ready' ? 200 : 503);
    const warnings = this.options.warnings?.() ?? [];
    return warnings.length > 0 ? { ...report, warnings } : report;
  }
}

/** `GET /health/live` and `GET /health/ready`, both public. */
@Module({})
export class HealthModule implements OnApplicationShutdown {
  constructor(@Inject(HEALTH_OPTIONS) private readonly options: HealthOptions) {}

  static register(options: HealthOptions): DynamicModule {
    return {
      module: HealthModule,
      controllers: [HealthController],
      providers: [{ provide: HEALTH_OPTIONS, useValue: options }],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.options.checks.map((check) => check.close?.()));
  }
}
