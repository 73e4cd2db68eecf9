import { z } from 'zod';

/**
 * One integration event: what crosses a service boundary. Its `type` and `version` are the
 * contract; its Kafka `topic` and `partitionKey` decide where it goes and what stays ordered.
 */
export interface IntegrationEventDefinition<Data = unknown> {
  /** Owning bounded context, e.g. `scheduling`. */
  readonly context: string;
  /** Past-tense name, e.g. `AppointmentBooked`. */
  readonly name: string;
  readonly version: number;
  /** `carebridge.<context>.<aggregate>.v<N>` */
  readonly topic: string;
  readonly schema: z.ZodType<Data>;
  /** Kafka key: the aggregate id, so order is kept per aggregate. */
  readonly partitionKey: (data: Data) => string;
  /** CloudEvents `subject`, defaults to the partition key. */
  readonly subject?: (data: Data) => string;
  /** Turns data of an older version of this event into this version's data. */
  readonly upcasters?: Readonly<Record<number, (data: unknown) => unknown>>;
  readonly description?: string;
}

export interface DefinedIntegrationEvent<Data> extends IntegrationEventDefinition<Data> {
  /** CloudEvents `type`: `carebridge.<context>.<name>.v<version>`. */
  readonly type: string;
  /** Compile-time helper: `typeof AppointmentBooked.Data`. */
  readonly Data: Data;
}

const TOPIC = /^carebridge\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;
const NAME = /^[A-Z][A-Za-z0-9]*$/;
const CONTEXT = /^[a-z][a-z0-9-]*$/;

export function defineIntegrationEvent<S extends z.ZodType>(
  definition: Omit<IntegrationEventDefinition<z.infer<S>>, 'schema'> & { schema: S },
): DefinedIntegrationEvent<z.infer<S>> {
  if (!TOPIC.test(definition.topic)) {
    throw new Error(`Topic ${definition.topic} must look like carebridge.<context>.<aggregate>.v<N>`);
  }
  if (!CONTEXT.test(definition.context)) {
    throw new Error(`Context ${definition.context} must be lower-case kebab-case, e.g. billing-eligibility`);
  }
  if (!NAME.test(definition.name)) {
    throw new Error(`Event name ${definition.name} must be PascalCase, e.g. AppointmentBooked`);
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`Event ${definition.name} version must be a positive integer`);
  }
  return {
    ...definition,
    type: integrationEventType(definition.context, definition.name, definition.version),
    Data: undefined as never,
  } as DefinedIntegrationEvent<z.infer<S>>;
}

export function integrationEventType(context: string, name: string, version: number): string {
  return `carebridge.${context}.${name}.v${version}`;
}

/** The data of an event does not match its contract. `issues` name each field. */
export class ContractViolationError extends Error {
  readonly code = 'CONTRACTS.INVALID_EVENT';
  readonly kind = 'invalid' as const;
  constructor(
    readonly eventType: string,
    readonly issues: readonly { field: string; message: string }[],
  ) {
    super(`${eventType} does not match its contract: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'ContractViolationError';
  }
}

export function validateData<Data>(definition: DefinedIntegrationEvent<Data>, data: unknown): Data {
  const result = definition.schema.safeParse(data);
  if (!result.success) {
    throw new ContractViolationError(
      definition.type,
      result.error.issues.map((issue) => ({ field: fieldPath(issue.path), message: issue.message })),
    );
  }
  return result.data;
}

export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
