import { RequestValidationError } from '@carebridge/platform';

/**
 * The id a FHIR reference search value names: `Patient/<id>`, the bare `<id>`, or an absolute
 * `https://host/fhir/R4/Patient/<id>` (https://hl7.org/fhir/R4/search.html#reference). Another
 * resource type, or an id that does not match `idPattern`, is a 400 naming the parameter.
 */
export function referenceId(value: string, type: string, field: string, idPattern: RegExp): string {
  const match = new RegExp(`^(?:(?:https?://[^?#]+/)?${type}/)?([^/]+)$`).exec(value);
  const id = match?.[1];
  if (id === undefined || !idPattern.test(id)) {
    throw new RequestValidationError([{ field, message: `must be ${type}/<id> or the id alone` }]);
  }
  return id;
}
