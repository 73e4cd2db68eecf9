import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { Roles, parseBody } from '@carebridge/platform';
import { DEFAULT_HORIZON_DAYS } from '@carebridge/shared-kernel';
import { TELEMEDICINE_RULE_SETS, telemedicineHorizon } from './controlled-substance.rules';

/** The query the handler reads (and the OpenAPI document declares). */
export const horizonQuery = z.object({ on: z.iso.date().optional() });

/** `GET /v1/rules/horizon`: the DEA telemedicine rule sets ending within 120 days with no successor. */
@Controller('v1/rules')
export class RuleHorizonController {
  @Get('horizon')
  @Roles('ops', 'provider')
  horizon(@Query('on') on?: string) {
    // `on`: ask as of another day (what-if for ops, and reproducible tests); default today.
    const today = on === undefined ? new Date().toISOString().slice(0, 10) : parseBody(horizonQuery.shape.on.unwrap(), on, 'on');
    return {
      today,
      windowDays: DEFAULT_HORIZON_DAYS,
      endingWithoutSuccessor: telemedicineHorizon(today),
      ruleSets: TELEMEDICINE_RULE_SETS.map((s) => ({
        ruleSetId: s.id,
        title: s.title,
        effectiveFrom: s.effectiveFrom,
        effectiveThrough: s.effectiveThrough,
        status: s.enabled ? 'final' : 'proposed',
        ...(s.role && { role: s.role }),
        sources: s.sources,
      })),
    };
  }
}
