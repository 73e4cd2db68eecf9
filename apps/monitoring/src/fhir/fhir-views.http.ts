import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { type AuthenticatedActor, CurrentActor, RequestValidationError, Roles } from '@carebridge/platform';
import { DomainError } from '@carebridge/shared-kernel';
import type { Clock } from '../clock';
import { NotOwnerError, assertMaySee, uuidParam } from '../http-support';
import { CLOCK, READ_MODELS } from '../monitoring.tokens';
import type { ReadModels } from '../read-models';
import { LOINC } from '../readings/reading.rules';
import { toDevice, toObservation } from './fhir.mapping';

class ResourceNotFoundError extends DomainError {
  readonly code = 'FHIR.NOT_FOUND';
  override readonly kind = 'not-found';
}

/** FHIR R4 read views: Observation (vital-signs profiles, LOINC) and Device. */
@Controller('v1/fhir')
export class FhirViewsController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('Observation')
  @Roles('patient', 'provider', 'ops')
  async search(@Query('patient') patient: string | undefined, @Query('code') code: string | undefined, @CurrentActor() actor: AuthenticatedActor) {
    if (patient === undefined) throw new RequestValidationError([{ field: 'patient', message: 'Required search parameter' }]);
    if (typeof patient !== 'string') throw new RequestValidationError([{ field: 'patient', message: 'Given once' }]);
    if (code !== undefined && typeof code !== 'string') throw new RequestValidationError([{ field: 'code', message: 'Given once' }]);
    const patientId = uuidParam('patient', patient.replace(/^Patient\//, ''));
    assertMaySee(actor, await this.readModels.patient(patientId), patientId);
    const loinc = code?.replace(/^http:\/\/loinc\.org\|/, '');
    const kinds = loinc === undefined ? undefined : Object.entries(LOINC).filter(([, c]) => c === loinc).map(([k]) => k);
    const readings = await this.readModels.readings(patientId, { ...(kinds && { kinds }), limit: 500 });
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: readings.length,
      entry: readings.map((r) => ({ fullUrl: `Observation/${r.readingId}`, resource: toObservation(r), search: { mode: 'match' } })),
    };
  }

  @Get('Observation/:id')
  @Roles('patient', 'provider', 'ops')
  async read(@Param('id') id: string, @CurrentActor() actor: AuthenticatedActor) {
    const reading = await this.readModels.reading(uuidParam('id', id));
    if (!reading) throw new ResourceNotFoundError('No such Observation');
    assertMaySee(actor, await this.readModels.patient(reading.patientId), reading.patientId);
    return toObservation(reading);
  }

  @Get('Device/:id')
  @Roles('patient', 'provider', 'ops')
  async device(@Param('id') id: string, @CurrentActor() actor: AuthenticatedActor) {
    const device = await this.readModels.device(uuidParam('id', id));
    if (!device) throw new ResourceNotFoundError('No such Device');
    if (actor.role !== 'ops') {
      const patientIds = [...new Set(device.assignments.map((a) => a.patientId))];
      const visible = await Promise.all(
        patientIds.map(async (p) => {
          try {
            assertMaySee(actor, await this.readModels.patient(p), p);
            return true;
          } catch {
            return false;
          }
        }),
      );
      if (!visible.some(Boolean)) throw new NotOwnerError('You may not see this device');
    }
    return toDevice(device, this.clock.now());
  }
}
