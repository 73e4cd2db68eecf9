export { FhirConformance } from './conformance';
export type { RawAnswer } from './conformance';
export { emptyValues, fhirValidator } from './validator';
export type { FhirValidator } from './validator';
