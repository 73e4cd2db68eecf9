import { Controller, Get, Inject, Query } from '@nestjs/common';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { Roles, parseBody } from '@carebridge/platform';
import type { ReadModels } from '../read-models.projection';
import type { Clock } from '../clock.port';
import { CLOCK, READ_MODELS } from '../scheduling.tokens';
import { inZone, searchQuery } from './search-query.schemas';

export const findGroupSessionsQuery = searchQuery({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/**
 * Group sessions (online support groups) with free seats, which `/v1/slots` shows as busy time:
 * a patient books a seat with `groupSessionId` and the session's start on `POST /v1/appointments`.
 */
@Controller('v1/group-sessions')
export class FindGroupSessionsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('patient', 'provider', 'ops')
  async find(@Query() query: unknown) {
    const q = parseBody(findGroupSessionsQuery, query, 'query');
    const from = DateTime.fromISO(q.from, { zone: q.timeZone }).startOf('day');
    const to = DateTime.fromISO(q.to, { zone: q.timeZone }).plus({ days: 1 }).startOf('day');
    const sessions = await this.readModels.slots.groupSessions({
      specialty: q.specialty,
      modality: q.modality,
      ...(q.patientState !== undefined && { patientState: q.patientState }),
      from: from.toJSDate(),
      to: to.toJSDate(),
      limit: q.limit,
      now: this.clock.now(),
    });
    const local = inZone(q.timeZone);
    return {
      timeZone: q.timeZone,
      groupSessions: sessions.map((s) => ({
        sessionId: s.sessionId,
        providerId: s.providerId,
        start: local(s.start),
        end: local(s.end),
        startUtc: s.start,
        modality: q.modality,
        capacity: s.capacity,
        freeSeats: s.freeSeats,
      })),
    };
  }
}
