import type { Migration } from '@carebridge/event-store';

/** The read models of visits, in the service's schema next to its event store. */
export const visitsMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'visit list and provider licences read models',
    sql: /* sql */ `
CREATE TABLE {{schema}}.visits (
  visit_id        text PRIMARY KEY,
  kind            text NOT NULL,
  patient_id      text NOT NULL,
  provider_id     text,
  appointment_id  text,
  modality        text NOT NULL,
  status          text NOT NULL,
  patient_state   text,
  location_state  text,
  scheduled_start timestamptz,
  checked_in_at   timestamptz,
  video_problems  text[] NOT NULL DEFAULT '{}',
  updated_at      timestamptz NOT NULL
);
CREATE INDEX ON {{schema}}.visits (provider_id, status);
CREATE INDEX ON {{schema}}.visits (patient_id);

CREATE TABLE {{schema}}.visit_providers (
  provider_id text PRIMARY KEY,
  licences    jsonb NOT NULL DEFAULT '[]',
  on_duty     boolean NOT NULL DEFAULT false
);
`,
  },
  {
    version: 2,
    name: 'when the provider admitted the patient (estimated waits count the time a visit has run)',
    sql: /* sql */ `
ALTER TABLE {{schema}}.visits ADD COLUMN admitted_at timestamptz;
UPDATE {{schema}}.visits SET admitted_at = updated_at WHERE status = 'in-progress';
`,
  },
];
