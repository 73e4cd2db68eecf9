import { EventEmitter } from 'node:events';
import type { Reading } from '../read-models';

/**
 * In-process fan-out of stored readings to Server-Sent Events subscribers. Fed by the alerting
 * reactor after the read-model projection committed the readings (so what a viewer sees is
 * also what a query returns).
 */
export class LiveReadings {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(readings: readonly Reading[]): void {
    if (!this.hasSubscribers()) return;
    for (const reading of readings) this.emitter.emit(`patient:${reading.patientId}`, reading);
  }

  hasSubscribers(): boolean {
    return this.emitter.listenerCount('reading') > 0;
  }

  subscribe(patientId: string, listener: (reading: Reading) => void): () => void {
    const name = `patient:${patientId}`;
    this.emitter.on(name, listener);
    this.emitter.on('reading', noop);
    return () => {
      this.emitter.off(name, listener);
      this.emitter.off('reading', noop);
    };
  }
}

const noop = () => undefined;
