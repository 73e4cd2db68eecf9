import type { Migration } from '@carebridge/event-store';

/** The read models of scheduling, in the service's schema next to its event store. */
export const schedulingMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'slot search and appointment list read models',
    sql: /* sql */ `
CREATE TABLE {{schema}}.slot_search_providers (
  provider_id     text PRIMARY KEY,
  specialties     text[] NOT NULL,
  licensed_states text[] NOT NULL,
  modalities      text[] NOT NULL,
  time_zone       text NOT NULL,
  availability    jsonb NOT NULL
);
CREATE INDEX ON {{schema}}.slot_search_providers USING gin (specialties);

-- Time a provider cannot be booked: appointments, and holds until they expire.
CREATE TABLE {{schema}}.slot_search_busy (
  provider_id text NOT NULL,
  busy_id     text NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  expires_at  timestamptz,
  PRIMARY KEY (provider_id, busy_id)
);
CREATE INDEX ON {{schema}}.slot_search_busy (provider_id, starts_at);

CREATE TABLE {{schema}}.appointments (
  appointment_id text PRIMARY KEY,
  stream_id      text NOT NULL,
  provider_id    text NOT NULL,
  patient_id     text NOT NULL,
  starts_at      timestamptz NOT NULL,
  ends_at        timestamptz NOT NULL,
  modality       text NOT NULL,
  status         text NOT NULL,
  minutes_late   integer,
  reason_code    text
);
CREATE INDEX ON {{schema}}.appointments (patient_id, starts_at);
CREATE INDEX ON {{schema}}.appointments (provider_id, starts_at);
`,
  },
  {
    version: 2,
    name: 'coverage status on appointments',
    sql: /* sql */ `
ALTER TABLE {{schema}}.appointments ADD COLUMN coverage_outcome text, ADD COLUMN coverage_reason_codes text[];
`,
  },
  {
    version: 3,
    name: 'waitlist entries',
    sql: /* sql */ `
CREATE TABLE {{schema}}.waitlist_entries (
  entry_id      text PRIMARY KEY,
  patient_id    text NOT NULL,
  provider_id   text,
  specialty     text,
  modality      text NOT NULL,
  patient_state text NOT NULL,
  from_at       timestamptz NOT NULL,
  to_at         timestamptz NOT NULL,
  joined_at     bigint NOT NULL,
  status        text NOT NULL,
  offered       text[] NOT NULL DEFAULT '{}',
  hold_ids      text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX ON {{schema}}.waitlist_entries (status, joined_at);
`,
  },
];
