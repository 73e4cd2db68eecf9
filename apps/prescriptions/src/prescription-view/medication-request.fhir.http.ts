import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { FhirBase, FhirEndpoints, type FhirSearch, Search, capabilityStatement, resourceSpec, searchsetBundle } from '@carebridge/fhir-http';
import { type AuthenticatedActor, CurrentActor, ProblemException, Public, Roles } from '@carebridge/platform';
import { PrescriptionAccess } from '../http/prescription.access';
import { toMedicationRequest } from './medication-request.fhir';
import { PRESCRIPTIONS_FHIR } from './medication-request.fhir-server';

/** FHIR R4 views of prescriptions (PRESCRIPTIONS_FHIR), through the same access rules as the REST reads. */
@Controller('v1/fhir')
@FhirEndpoints()
export class MedicationRequestFhirController {
  constructor(private readonly access: PrescriptionAccess) {}

  @Get('metadata')
  @Public()
  metadata(@FhirBase() base: string) {
    return capabilityStatement(PRESCRIPTIONS_FHIR, base);
  }

  @Get('MedicationRequest')
  @Roles('provider', 'patient', 'pharmacy')
  async search(@Search(resourceSpec(PRESCRIPTIONS_FHIR, 'MedicationRequest')) search: FhirSearch, @FhirBase() base: string, @CurrentActor() actor: AuthenticatedActor) {
    const patientId = search.reference('patient');
    const views = await this.access.list(actor, { patientId });
    return searchsetBundle(base, search, views.filter((v) => patientId === undefined || v.rx.patientId.toLowerCase() === patientId).map(toMedicationRequest));
  }

  @Get('MedicationRequest/:id')
  @Roles('provider', 'patient', 'pharmacy')
  async read(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    return toMedicationRequest(await this.access.read(actor, id));
  }

  /** A patient with prescriptions the caller may read (the access policy admits the patient and their providers, audited). */
  @Get('Patient/:id')
  @Roles('provider', 'patient')
  async patient(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    const patientId = id.toLowerCase();
    const views = await this.access.list(actor, { patientId });
    if (!views.some((v) => v.rx.patientId.toLowerCase() === patientId)) throw new ProblemException(404, 'FHIR.NOT_FOUND', `Patient ${id} not found`);
    return { resourceType: 'Patient' as const, id: patientId, active: true };
  }
}
