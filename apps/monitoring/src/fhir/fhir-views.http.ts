import { Controller, Get, Inject, Param } from '@nestjs/common';
import { FhirBase, FhirEndpoints, type FhirSearch, Search, capabilityStatement, resourceSpec, searchsetBundle } from '@carebridge/fhir-http';
import { type AuthenticatedActor, CurrentActor, Public, Roles } from '@carebridge/platform';
import { DomainError } from '@carebridge/shared-kernel';
import type { Clock } from '../clock.port';
import { NotOwnerError, assertMaySee, uuidParam } from '../monitoring.http-support';
import { DeviceAssignments } from '../enrolment/device-assignments.projection';
import { MonitoredPatients } from '../enrolment/monitored-patients.projection';
import { CLOCK } from '../monitoring.tokens';
import { Readings } from '../readings/readings.projection';
import { LOINC } from '../readings/reading.rules';
import { MONITORING_FHIR } from './monitoring.fhir-server';
import { toDevice, toObservation, toPatient } from './fhir.mapping';

class ResourceNotFoundError extends DomainError {
  readonly code = 'FHIR.NOT_FOUND';
  override readonly kind = 'not-found';
}

/** FHIR R4 read views (MONITORING_FHIR): Observation (vital-signs profiles, LOINC), Device, Patient. */
@Controller('v1/fhir')
@FhirEndpoints()
export class FhirViewsController {
  constructor(
    @Inject(MonitoredPatients) private readonly patients: MonitoredPatients,
    @Inject(Readings) private readonly readings: Readings,
    @Inject(DeviceAssignments) private readonly devices: DeviceAssignments,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('metadata')
  @Public()
  metadata(@FhirBase() base: string) {
    return capabilityStatement(MONITORING_FHIR, base);
  }

  @Get('Observation')
  @Roles('patient', 'provider', 'ops')
  async search(@Search(resourceSpec(MONITORING_FHIR, 'Observation')) search: FhirSearch, @FhirBase() base: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = search.reference('patient')!;
    assertMaySee(actor, await this.patients.patient(patientId), patientId);
    const loinc = search.one('code')?.replace(/^http:\/\/loinc\.org\|/, '');
    const kinds = loinc === undefined ? undefined : Object.entries(LOINC).filter(([, c]) => c === loinc).map(([k]) => k);
    const readings = await this.readings.readings(patientId, { ...(kinds && { kinds }), limit: 500 });
    return searchsetBundle(base, search, readings.map(toObservation));
  }

  @Get('Observation/:id')
  @Roles('patient', 'provider', 'ops')
  async read(@Param('id') id: string, @CurrentActor() actor: AuthenticatedActor) {
    const reading = await this.readings.reading(uuidParam('id', id));
    if (!reading) throw new ResourceNotFoundError('No such Observation');
    assertMaySee(actor, await this.patients.patient(reading.patientId), reading.patientId);
    return toObservation(reading);
  }

  @Get('Device/:id')
  @Roles('patient', 'provider', 'ops')
  async device(@Param('id') id: string, @CurrentActor() actor: AuthenticatedActor) {
    const device = await this.devices.device(uuidParam('id', id));
    if (!device) throw new ResourceNotFoundError('No such Device');
    if (actor.role !== 'ops') {
      const patientIds = [...new Set(device.assignments.map((a) => a.patientId))];
      const visible = await Promise.all(
        patientIds.map(async (p) => {
          try {
            assertMaySee(actor, await this.patients.patient(p), p);
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

  /** An enrolled patient (the access policy admits the patient, the care team and ops, audited). */
  @Get('Patient/:id')
  @Roles('patient', 'provider', 'ops')
  async patient(@Param('id') id: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = uuidParam('id', id);
    const patient = await this.patients.patient(patientId);
    if (!patient) throw new ResourceNotFoundError('No such Patient');
    return toPatient(assertMaySee(actor, patient, patientId));
  }
}
