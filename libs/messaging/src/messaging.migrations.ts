import type { Migration } from '@carebridge/event-store';

/** Tables of the messaging library, kept in each service's schema next to its event store. */
export const messagingMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'relay checkpoints and consumer inbox',
    sql: /* sql */ `
CREATE TABLE {{schema}}.relay_checkpoints (
  relay_name  text PRIMARY KEY,
  position    bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per integration event a consumer group has dealt with: processed or dead-lettered.
-- CloudEvents ids are unique per source, so the source is part of the key.
CREATE TABLE {{schema}}.inbox (
  consumer_group text NOT NULL,
  event_source   text NOT NULL,
  event_id       text NOT NULL,
  event_type     text NOT NULL,
  topic          text NOT NULL,
  kafka_partition integer NOT NULL,
  kafka_offset   bigint NOT NULL,
  outcome        text NOT NULL CHECK (outcome IN ('processed', 'dead-lettered', 'ignored')),
  error          text,
  processed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, event_source, event_id)
);
`,
  },
];
