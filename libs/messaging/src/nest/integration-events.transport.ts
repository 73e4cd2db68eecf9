import { Catch, UseFilters, applyDecorators, type RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, EventPattern, Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom, throwError, type Observable } from 'rxjs';
import { ContractRegistry, type DefinedIntegrationEvent } from '@carebridge/contracts';
import {
  IntegrationConsumer,
  type ConsumerStats,
  type HandlerBinding,
  type HandlerContext,
  type IntegrationConsumerOptions,
  type ReceivedEvent,
} from '../consumer/integration-consumer';
import { nestLogger } from './nest-logger';

/** The transport id @IntegrationEventHandler binds to: another transport of the app never sees these handlers. */
export const INTEGRATION_EVENTS = Symbol('carebridge.integration-events');

/**
 * The handler's second argument (`@Ctx()`): the transaction the inbox row is written in.
 * Passed per message, not injected: a singleton controller holding a store from DI would write
 * through the pool, outside the inbox transaction, and a redelivered event would write twice
 * (a request-scoped provider or AsyncLocalStorage would be ambient context, STYLE §8).
 * Handlers take it with `@Payload()` / `@Ctx()` rather than a bare signature: Nest hands both the
 * same two arguments, but the decorators say where the transaction comes from, and no pipe runs
 * on the payload (the consumer has validated it against the contract already).
 */
export class IntegrationEventContext extends BaseRpcContext<[HandlerContext]> {
  constructor(context: HandlerContext) {
    super([context]);
  }

  /** The service's event store on the inbox transaction (the transport's `storeSchema`). */
  get store(): NonNullable<HandlerContext['store']> {
    const { store } = this.args[0];
    if (!store) throw new Error('integration events transport: no storeSchema configured, so no store on the transaction');
    return store;
  }

  get client(): HandlerContext['client'] {
    return this.args[0].client;
  }

  get attempt(): number {
    return this.args[0].attempt;
  }
}

/**
 * Hands a handler's error to the transport unchanged. Nest's default RPC filter turns any error
 * into `{ status: 'error', message: 'Internal server error' }`, which would hide what the
 * consumer decides on: a rule refusing the event (DLQ at once), PostgreSQL away (wait, no
 * attempt used), a serialization failure (retry at once).
 */
@Catch()
export class RethrowToIntegrationConsumer implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Marks a controller method as the handler of one integration event: the pattern is the
 * contract's `type`; the contract travels in the pattern's extras for the transport to validate,
 * subscribe to its topic and pick the version. Use with `@Payload()` and `@Ctx()`.
 */
export function IntegrationEventHandler<Data>(contract: DefinedIntegrationEvent<Data>): MethodDecorator {
  return applyDecorators(EventPattern<string>(contract.type, INTEGRATION_EVENTS, { contract }) as MethodDecorator, UseFilters(RethrowToIntegrationConsumer));
}

export interface IntegrationEventsTransportOptions extends Omit<IntegrationConsumerOptions, 'handlers' | 'registry'> {
  /** Tests read topics of their own: the contract's topic -> the one to read instead. */
  readonly topics?: Readonly<Record<string, string>>;
}

const IDLE_STATS: ConsumerStats = { processed: 0, duplicates: 0, deadLettered: 0, ignored: 0, retries: 0, infrastructureWaits: 0, waitingSince: 0 };

/**
 * A Nest custom transport over IntegrationConsumer: controllers declare
 * `@IntegrationEventHandler(Contract)` methods, Nest registers them here, and listen() starts one
 * consumer group with them. The consumer keeps the delivery semantics (contract validation, inbox
 * in the handler's transaction, retries with backoff, infrastructure waits, DLQ, metrics); Kafka
 * or the embedded in-process bus underneath is whatever `kafka` the runtime hands in.
 */
export class IntegrationEventsTransport extends Server implements CustomTransportStrategy {
  override readonly transportId = INTEGRATION_EVENTS;
  // The consumer awaits every handler and decides on its error; nothing is left for Nest to log.
  override readonly propagatesEventHandlerErrors = true;
  private consumer?: IntegrationConsumer;

  constructor(private readonly options: IntegrationEventsTransportOptions) {
    super();
  }

  get groupId(): string {
    return this.options.groupId;
  }

  /** The running consumer's stats (metrics and readiness read them at each scrape). */
  get stats(): ConsumerStats {
    return this.consumer?.stats ?? IDLE_STATS;
  }

  /** One binding per registered handler, dispatching straight to Nest's handler proxy. */
  bindings(): HandlerBinding<unknown>[] {
    return [...this.getHandlers().values()].map((handler) => {
      const contract = (handler.extras as { contract?: DefinedIntegrationEvent<unknown> } | undefined)?.contract;
      if (!contract) throw new Error(`${this.options.groupId}: an event handler without a contract; declare it with @IntegrationEventHandler`);
      const topic = this.options.topics?.[contract.topic];
      return { event: topic === undefined ? contract : { ...contract, topic }, handle: dispatchTo(handler) };
    });
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const handlers = this.bindings();
      const { topics: _topics, ...options } = this.options;
      this.consumer = new IntegrationConsumer({
        logger: nestLogger(`Consumer ${options.groupId}`),
        ...options,
        registry: new ContractRegistry(handlers.map((h) => h.event)), handlers });
      await this.consumer.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops fetching, lets the messages in hand finish and commits their offsets (Nest calls it on app.close()). */
  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  on(): never {
    throw new Error('integration events transport: no transport events to listen to; read stats');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}

/**
 * Calls the handler Nest built (filters, pipes, param decorators) with the parsed event and the
 * transaction. It is awaited here, stream included, so the handler's writes finish before the
 * consumer writes the inbox row and commits, and its error reaches the consumer's retry policy.
 */
function dispatchTo(handler: MessageHandler): HandlerBinding<unknown>['handle'] {
  return async (event: ReceivedEvent<unknown>, context: HandlerContext) => {
    const result: unknown = await handler(event, new IntegrationEventContext(context));
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  };
}
