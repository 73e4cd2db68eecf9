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
  {
    version: 4,
    name: 'multi-provider appointments and group sessions with free seats',
    sql: /* sql */ `
ALTER TABLE {{schema}}.appointments ADD COLUMN additional_provider_ids text[] NOT NULL DEFAULT '{}';
CREATE INDEX ON {{schema}}.appointments USING gin (additional_provider_ids);

CREATE TABLE {{schema}}.group_sessions (
  session_id  text PRIMARY KEY,
  provider_id text NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  capacity    integer NOT NULL,
  seats_taken integer NOT NULL DEFAULT 0
);
CREATE INDEX ON {{schema}}.group_sessions (starts_at);
`,
  },
  {
    version: 5,
    name: 'group session seats (which appointment holds a seat of which session)',
    sql: /* sql */ `
CREATE TABLE {{schema}}.group_session_seats (
  appointment_id text PRIMARY KEY,
  session_id     text NOT NULL
);
`,
  },
  {
    version: 6,
    name: 'patient contacts for notifications (mutable and erasable, never in events)',
    sql: /* sql */ `
CREATE TABLE {{schema}}.patient_contacts (
  patient_id text PRIMARY KEY,
  email      text,
  phone      text,
  channels   text[] NOT NULL,
  time_zone  text,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);
`,
  },
  {
    version: 7,
    name: 'licence expiries in slot search',
    sql: /* sql */ `
ALTER TABLE {{schema}}.slot_search_providers ADD COLUMN licences jsonb NOT NULL DEFAULT '[]';
`,
  },
  {
    version: 8,
    name: 'notification deliveries (which message of which job went out on which channel)',
    sql: /* sql */ `
CREATE TABLE {{schema}}.notification_deliveries (
  delivery_id    text PRIMARY KEY,
  appointment_id text NOT NULL,
  kind           text NOT NULL,
  channel        text NOT NULL,
  delivered_at   timestamptz NOT NULL
);
CREATE INDEX ON {{schema}}.notification_deliveries (appointment_id);
`,
  },
  {
    version: 9,
    name: 'notifications not delivered after the last attempt, on the appointment',
    sql: /* sql */ `
ALTER TABLE {{schema}}.appointments ADD COLUMN undelivered_notifications jsonb NOT NULL DEFAULT '[]';
`,
  },
  {
    version: 10,
    name: 'waitlist offers are delivered like reminders: a delivery names an appointment or a waitlist entry',
    sql: /* sql */ `
ALTER TABLE {{schema}}.notification_deliveries RENAME COLUMN appointment_id TO subject_id;
`,
  },
  {
    version: 11,
    name: 'intake triage on appointments and the review queue (issue 15)',
    sql: /* sql */ `
ALTER TABLE {{schema}}.appointments ADD COLUMN triage jsonb, ADD COLUMN triage_review jsonb;
CREATE INDEX appointments_triage_review_queue ON {{schema}}.appointments (provider_id, starts_at)
  WHERE triage->>'disposition' = 'needs-review' AND triage_review IS NULL;
`,
  },
];
