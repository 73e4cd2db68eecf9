import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import { RequestValidationError, Roles, parseBody } from '@carebridge/platform';
import type { ReadModels } from '../read-models.projection';
import type { Clock } from '../clock.port';
import { CLOCK, READ_MODELS } from '../scheduling.tokens';
import { inZone, searchQuery } from './search-query.schemas';

export const findSlotsQuery = searchQuery({
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  pageToken: z.string().max(200).optional(),
});

const encodeToken = (slot: { start: string; providerId: string }) =>
  Buffer.from(`${slot.start}|${slot.providerId}`).toString('base64url');

function decodeToken(token: string): { start: string; providerId: string } {
  const [start, providerId] = Buffer.from(token, 'base64url').toString().split('|');
  if (!start || !providerId || Number.isNaN(Date.parse(start))) {
    throw new RequestValidationError([{ field: 'pageToken', message: 'is not a page token of this search' }]);
  }
  return { start: start!, providerId: providerId! };
}

/** FHIR $find: free slots by specialty, patient state, modality and dates, in the requester's zone. */
@Controller('v1/slots')
export class FindSlotsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('patient', 'provider', 'ops')
  async find(@Query() query: unknown) {
    const q = parseBody(findSlotsQuery, query, 'query');
    const { slots, more } = await this.readModels.slots.find({
      specialty: q.specialty,
      modality: q.modality,
      ...(q.patientState !== undefined && { patientState: q.patientState }),
      from: q.from,
      to: q.to,
      timeZone: q.timeZone,
      pageSize: q.pageSize,
      ...(q.pageToken !== undefined && { after: decodeToken(q.pageToken) }),
      now: this.clock.now(),
    });
    const local = inZone(q.timeZone);
    return {
      timeZone: q.timeZone,
      slots: slots.map((slot) => ({
        providerId: slot.providerId,
        start: local(slot.start),
        end: local(slot.end),
        startUtc: slot.start,
        modality: q.modality,
      })),
      ...(more && slots.length > 0 && { nextPageToken: encodeToken(slots.at(-1)!) }),
    };
  }
}
