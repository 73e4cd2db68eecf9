import {
  ContractViolationError,
  DeviceReadingsReported,
  type CloudEvent,
  type EnvelopeContext,
  type KafkaRecord,
  PrescriptionFillRecorded,
  toKafkaRecord,
  validateData,
} from '@carebridge/contracts';
import { metadataOf } from '@carebridge/event-store';
import { isInfrastructureUnavailable } from '@carebridge/shared-kernel';
import { consumerGroupTiming, type BrokerConsumer, type BrokerProducer, type MessageBroker } from '@carebridge/messaging';
import type { Clock } from '../clock.port';
import type { ReadingIntake } from '../readings/reading-intake.handler';
import type { RawReading } from '../readings/reading.rules';

/** The device-gateway topic of the contract (a composition root may map it to another, see MonitoringModuleOptions.messaging.topics). */
export const DEVICE_READINGS_TOPIC = DeviceReadingsReported.topic;

/** Topics the service consumes (created at boot so consumers can subscribe before producers start). */
export const MONITORING_CONSUMED_TOPICS = [DeviceReadingsReported.topic, PrescriptionFillRecorded.topic] as const;

/** What a device gateway writes: one device's readings as a DeviceReadingsReported record (keyed by device id). */
export function deviceReadingsRecord(data: typeof DeviceReadingsReported.Data, envelope: EnvelopeContext): KafkaRecord {
  return toKafkaRecord(DeviceReadingsReported, data, envelope);
}

export interface DeviceGatewayConsumerOptions {
  readonly kafka: MessageBroker;
  readonly groupId: string;
  readonly topic?: string;
  readonly intake: ReadingIntake;
  readonly clock: Clock;
  readonly partitionsConsumedConcurrently?: number;
  /** Where a group with no committed offset starts (default: the beginning, as IntegrationConsumer; a reading read twice is stored once). */
  readonly fromBeginning?: boolean;
  readonly onError?: (error: unknown, context: Record<string, unknown>) => void;
  /** Backoff while PostgreSQL is unavailable (default 100 ms doubling to 2 s, without limit). */
  readonly infrastructureRetry?: { readonly initialMs?: number; readonly maxMs?: number };
}

/**
 * The device-gateway topic at volume: eachBatch hands all messages of a partition fetch to the
 * intake at once (one assignment query, one duplicate query, group-committed appends), then
 * commits the offsets. Offsets move only after the readings are stored, and a redelivered
 * message finds its readings already stored (ids from device, type and time): at least once in,
 * exactly once stored. A message that is not a valid DeviceReadingsReported goes to `<topic>.dlq`.
 */
export class DeviceGatewayConsumer {
  private consumer?: BrokerConsumer;
  private producer?: BrokerProducer;
  readonly stats = { messages: 0, readings: 0, deadLettered: 0, infrastructureWaits: 0 };

  constructor(private readonly options: DeviceGatewayConsumerOptions) {}

  get topic(): string {
    return this.options.topic ?? DeviceReadingsReported.topic;
  }

  async start(): Promise<void> {
    const { kafka } = this.options;
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.consumer = kafka.consumer({
      groupId: this.options.groupId,
      maxBytesPerPartition: 4 * 1024 * 1024,
      // As IntegrationConsumer: a member lost with a killed broker delays the rejoin by its session (6 s).
      ...consumerGroupTiming(),
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: async ({ batch, heartbeat, commitOffsetsIfNecessary, resolveOffset, isRunning, isStale }) => {
        const readings: RawReading[] = [];
        const bad: { value: Buffer | null; key: Buffer | null; error: string }[] = [];
        let correlation: CloudEvent | undefined;
        for (const message of batch.messages) {
          try {
            const event = JSON.parse(message.value?.toString() ?? '') as CloudEvent;
            if (event.type !== DeviceReadingsReported.type) throw new ContractViolationError(String(event.type), [{ field: 'type', message: 'unexpected type' }]);
            const data = validateData(DeviceReadingsReported, event.data);
            for (const r of data.readings) readings.push({ ...r, deviceId: data.deviceId.toLowerCase() } as RawReading);
            correlation ??= event;
          } catch (error) {
            bad.push({ value: message.value, key: message.key, error: error instanceof Error ? error.message : String(error) });
          }
        }
        if (!isRunning() || isStale()) return;
        // Chunks of at most 5,000 readings keep one round's queries and appends bounded; each is
        // ingested as 1,000-reading requests at once (each its own transaction, as the batch API's
        // requests: readings are idempotent by id, and concurrent requests for one patient decide again).
        for (let i = 0; i < readings.length; i += 5_000) {
          const chunk = readings.slice(i, i + 5_000);
          await this.untilInfrastructureAnswers(isRunning, heartbeat, async () => {
            const now = this.options.clock.now();
            const metadata = metadataOf({
              type: 'RecordReadings',
              data: null,
              metadata: {
                now,
                actor: { id: 'device-gateway', role: 'system' },
                correlationId: correlation?.correlationid ?? `${batch.topic}-${batch.partition}-${batch.firstOffset()}`,
                purpose: 'treatment',
              },
            });
            const requests = Array.from({ length: Math.ceil(chunk.length / 1_000) }, (_, k) => chunk.slice(k * 1_000, (k + 1) * 1_000));
            await Promise.all(requests.map((part) => this.options.intake.ingest({ readings: part, now, metadata })));
          });
          await heartbeat();
        }
        if (bad.length > 0) {
          await this.producer!.send({
            topic: `${this.topic}.dlq`,
            messages: bad.map((b) => ({ key: b.key, value: b.value, headers: { 'dlq-error': b.error.slice(0, 500), 'dlq-error-code': 'CONTRACTS.INVALID_EVENT' } })),
          });
          this.stats.deadLettered += bad.length;
        }
        this.stats.messages += batch.messages.length;
        this.stats.readings += readings.length;
        const last = batch.messages.at(-1);
        if (last) resolveOffset(last.offset);
        await commitOffsetsIfNecessary();
      },
    });
  }

  /**
   * Runs `work` again while PostgreSQL is unavailable (a redelivered chunk finds its readings
   * stored: ids from device, type and time), so an outage pauses the partition instead of
   * crashing the consumer out of its group. Stops trying when the consumer stops.
   */
  private async untilInfrastructureAnswers(isRunning: () => boolean, heartbeat: () => Promise<void>, work: () => Promise<void>): Promise<void> {
    let delay = this.options.infrastructureRetry?.initialMs ?? 100;
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!isInfrastructureUnavailable(error) || !isRunning()) throw error;
        this.stats.infrastructureWaits++;
        if (this.stats.infrastructureWaits === 1 || this.stats.infrastructureWaits % 20 === 0) {
          this.options.onError?.(error, { groupId: this.options.groupId, waiting: 'infrastructure unavailable; the partition waits' });
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(this.options.infrastructureRetry?.maxMs ?? 2_000, delay * 2);
        await heartbeat().catch((heartbeatError: unknown) => {
          if (!isInfrastructureUnavailable(heartbeatError)) throw heartbeatError;
        });
      }
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }
}
