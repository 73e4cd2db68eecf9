import path from 'node:path';
import type { Config } from '../config';
import type { PayerCheckOptions } from './payer-check.handler';
import { FileDropPayerConnection } from './payer-connection-file-drop.adapter';
import { HttpPayerConnection } from './payer-connection-http.adapter';

/** The payer connection the settings name, or none (answers from the rules alone). */
export function payerCheckFrom(config: Config): PayerCheckOptions | undefined {
  const connection = config.PAYER_X12_URL
    ? new HttpPayerConnection({ url: config.PAYER_X12_URL, timeoutMs: config.PAYER_X12_TIMEOUT_MS })
    : config.PAYER_X12_DROP_DIR
      ? new FileDropPayerConnection({
          outbox: path.join(config.PAYER_X12_DROP_DIR, 'outbox'),
          inbox: path.join(config.PAYER_X12_DROP_DIR, 'inbox'),
          timeoutMs: config.PAYER_X12_TIMEOUT_MS,
        })
      : undefined;
  if (connection === undefined) return undefined;
  // The config schema requires these whenever a connection is set.
  return {
    connection,
    senderId: config.X12_SENDER_ID!,
    receiverId: config.X12_RECEIVER_ID!,
    traceOriginatorId: config.X12_TRACE_ORIGINATOR_ID!,
    segmentSuffix: ({ none: '', lf: '\n', crlf: '\r\n' } as const)[config.X12_SEGMENT_SUFFIX],
    provider: { name: config.X12_PROVIDER_NAME!, npi: config.X12_PROVIDER_NPI! },
    production: config.X12_PRODUCTION,
  };
}
