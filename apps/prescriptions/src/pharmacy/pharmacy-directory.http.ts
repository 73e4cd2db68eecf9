import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import { quoteIdent } from '@carebridge/event-store';
import { CurrentActor, parseBody, Roles, type AuthenticatedActor } from '@carebridge/platform';
import { RuleViolation } from '@carebridge/shared-kernel';
import { commandMetadata } from '../http/command-metadata.http-support';
import { Commands } from '../http/commands.http-support';
import { PG_POOL, SERVICE_SCHEMA } from '../http/prescriptions.tokens';
import { pharmacyDecider } from './pharmacy.decider';
import { pharmacyStreamId } from './pharmacy.stream';

const hhmm = z.string().regex(/^\d{2}:\d{2}$/, 'must be HH:MM');
const day = z.object({ opens: hhmm, closes: hhmm }).optional();
export const registerPharmacyBody = z.object({
  pharmacyId: z.uuid(),
  ncpdpId: z.string().regex(/^\d{7}$/, 'must be a 7-digit NCPDP Provider ID'),
  npi: z.string().regex(/^\d{10}$/, 'must be a 10-digit NPI'),
  name: z.string().min(1).max(200),
  address: z.object({
    line: z.array(z.string().min(1).max(200)).min(1).max(3),
    city: z.string().min(1).max(100),
    state: z.string().regex(/^[A-Z]{2}$/, 'must be a USPS state code'),
    postalCode: z.string().regex(/^\d{5}(-\d{4})?$/, 'must be a ZIP code'),
  }),
  phone: z.string().max(30).nullable().default(null),
  hours: z.object({ '1': day, '2': day, '3': day, '4': day, '5': day, '6': day, '7': day }).default({}),
  acceptsEPrescribing: z.boolean(),
  /** NCPDP SCRIPT versions the pharmacy's system accepts; required when it accepts e-prescriptions. */
  scriptVersions: z.array(z.enum(['2017071', '2023011'])).max(2).default([]),
});
export const pharmacyDetailsBody = registerPharmacyBody.omit({ pharmacyId: true, ncpdpId: true, npi: true });
export const searchQuery = z.object({ state: z.string().regex(/^[A-Z]{2}$/).optional(), city: z.string().max(100).optional() });

@Controller('v1/pharmacies')
export class PharmacyDirectoryController {
  constructor(
    private readonly commands: Commands,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('ops')
  async register(@CurrentActor() actor: AuthenticatedActor, @Req() request: Request, @Body() body: unknown) {
    const data = parseBody(registerPharmacyBody, body);
    const hours = Object.fromEntries(Object.entries(data.hours).filter(([, v]) => v !== undefined));
    await this.commands.run(pharmacyStreamId(data.ncpdpId), pharmacyDecider, {
      type: 'RegisterPharmacy',
      data: { ...data, hours },
      metadata: commandMetadata(actor, request, 'operations'),
    });
    return { ncpdpId: data.ncpdpId, pharmacyId: data.pharmacyId };
  }

  @Put(':ncpdpId')
  @HttpCode(200)
  @Roles('ops')
  async change(@CurrentActor() actor: AuthenticatedActor, @Req() request: Request, @Param('ncpdpId') ncpdpId: string, @Body() body: unknown) {
    const data = parseBody(pharmacyDetailsBody, body);
    const hours = Object.fromEntries(Object.entries(data.hours).filter(([, v]) => v !== undefined));
    await this.commands.run(pharmacyStreamId(ncpdpId), pharmacyDecider, {
      type: 'ChangePharmacyDetails',
      data: { ...data, hours },
      metadata: commandMetadata(actor, request, 'operations'),
    });
    return { ncpdpId };
  }

  /** The directory is public information about businesses, readable by any signed-in user. */
  @Get()
  async search(@Query() query: unknown) {
    const { state, city } = parseBody(searchQuery, query, 'query');
    const { rows } = await this.pool.query<{ details: unknown }>(
      `SELECT details FROM ${quoteIdent(this.schema)}.pharmacy_directory
        WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR lower(city) = lower($2))
        ORDER BY name LIMIT 100`,
      [state ?? null, city ?? null],
    );
    return { items: rows.map((r) => r.details) };
  }

  @Get(':ncpdpId')
  async get(@Param('ncpdpId') ncpdpId: string) {
    const { rows } = await this.pool.query<{ details: unknown }>(`SELECT details FROM ${quoteIdent(this.schema)}.pharmacy_directory WHERE ncpdp_id = $1`, [ncpdpId]);
    if (!rows[0]) throw new RuleViolation('PHARMACY.NOT_FOUND', 'No such pharmacy', {}, 'not-found');
    return rows[0].details;
  }
}
