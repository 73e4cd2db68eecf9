import { type ArgumentMetadata, BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { type FieldError, fieldErrorsFrom, missingValueMessage } from './field-errors';

/** Malformed input, reported field by field as a 400 problem. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.map(({ field, message }) => `${field}: ${message}`).join('; '));
  }
}

/** Parses `value` or throws a `RequestValidationError` naming each bad field (`intake.symptoms[0]: Required`). */
export function parseBody<S extends z.ZodType>(schema: S, value: unknown, root = 'body'): z.output<S> {
  const result = schema.safeParse(value, { error: missingValueMessage('Required') });
  if (result.success) return result.data;
  throw new RequestValidationError(
    fieldErrorsFrom(result.error.issues).map((error) => ({ ...error, field: error.field || `(${root})` })),
  );
}

/** `@Body(new ZodValidationPipe(bookAppointmentBody)) body: BookAppointmentBody` */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.output<S> {
    return parseBody(this.schema, value, metadata.type);
  }
}
