/**
 * What the clinic fault scenario reads back (issue 21): the ledger's commands against the event
 * stores, the relays' checkpoints against the store heads, the consumer groups' committed offsets
 * against the topics, every topic's contents (inboxes, per-key order, the pharmacy's NewRx, the
 * dead-letter topics) and the audit trail.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Pool } from 'pg';
import type { AcceptedCommand, Expectation } from './clinic-load';

export const SCHEMAS = ['billing_eligibility', 'monitoring', 'prescriptions', 'scheduling', 'visits'] as const;
const root = path.join(__dirname, '..', '..');

/** Lost (an expected event missing) and duplicated (one more than once) among `commands`. */
export async function ledgerOutcome(
  pool: Pool,
  commands: readonly AcceptedCommand[],
): Promise<{ lost: number; duplicated: number; missing: Record<string, { count: number; example: string }>; extra: Record<string, { count: number; example: string }> }> {
  const missing: Record<string, { count: number; example: string }> = {};
  const extra: Record<string, { count: number; example: string }> = {};
  const note = (into: typeof missing, e: Expectation) => {
    const what = `${e.schema} ${e.eventType} by ${e.field}`;
    into[what] = { count: (into[what]?.count ?? 0) + 1, example: into[what]?.example ?? e.value };
  };
  const groups = new Map<string, Expectation[]>();
  for (const e of commands.flatMap((c) => c.expects)) {
    const key = `${e.schema}|${e.eventType}|${e.field}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  let lost = 0;
  let duplicated = 0;
  for (const [key, expectations] of groups) {
    const [schema, eventType, field] = key.split('|') as [string, string, string];
    // A data field may be nested: `request.appointmentId`.
    const path = field.split('.').map((part) => part.replace(/[^A-Za-z0-9_]/g, ''));
    const column = field === 'stream_id' || field === 'event_id' ? `e.${field}::text` : `e.data #>> '{${path.join(',')}}'`;
    const { rows } = await pool.query<{ value: string; n: number }>(
      `SELECT v.value, count(e.global_position)::int AS n
         FROM unnest($1::text[]) AS v(value)
         LEFT JOIN "${schema}".events e ON e.event_type = $2 AND ${column} = v.value
        GROUP BY v.value`,
      [[...new Set(expectations.map((e) => e.value))], eventType],
    );
    const counts = new Map(rows.map((r) => [r.value, r.n]));
    for (const e of expectations) {
      const n = counts.get(e.value) ?? 0;
      if (n === 0) {
        lost++;
        note(missing, e);
      } else if (n > 1 && e.count === 'exactly') {
        duplicated++;
        note(extra, e);
      }
    }
  }
  return { lost, duplicated, missing, extra };
}

/** Per schema, the first inbox row recorded after `since` (ms after it): when each service's consumers processed again. */
export async function consumingAgain(pool: Pool, since: number): Promise<Record<string, number>> {
  const again: Record<string, number> = {};
  for (const schema of SCHEMAS) {
    const { rows } = await pool.query<{ at: Date | null }>(`SELECT min(processed_at) AS at FROM "${schema}".inbox WHERE processed_at > $1`, [new Date(since)]);
    if (rows[0]?.at) again[schema] = rows[0].at.getTime() - since;
  }
  return again;
}

export async function storeHeads(pool: Pool): Promise<Record<string, number>> {
  const heads: Record<string, number> = {};
  for (const schema of SCHEMAS) {
    const { rows } = await pool.query<{ p: string | null }>(`SELECT max(global_position) AS p FROM "${schema}".events`);
    heads[schema] = Number(rows[0]?.p ?? 0);
  }
  return heads;
}

export async function relayCheckpoints(pool: Pool): Promise<Record<string, number>> {
  const checkpoints: Record<string, number> = {};
  for (const schema of SCHEMAS) {
    const { rows } = await pool.query<{ p: string | null }>(`SELECT min(position) AS p FROM "${schema}".relay_checkpoints`);
    checkpoints[schema] = Number(rows[0]?.p ?? 0);
  }
  return checkpoints;
}

/** `state/members` of each group named (where a lagging group stands: rebalancing, waiting for a member, empty). */
export async function groupStates(kafka: Kafka, groupIds: readonly string[]): Promise<Record<string, string>> {
  if (groupIds.length === 0) return {};
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([...groupIds]);
    return Object.fromEntries(groups.map((g) => [g.groupId, `${g.state}/${g.members.length} members`]));
  } finally {
    await admin.disconnect();
  }
}

/** Topics of the platform (not the dead-letter ones, not Kafka's own). */
export async function platformTopics(kafka: Kafka): Promise<{ topics: string[]; dlq: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const all = (await admin.listTopics()).filter((t) => !t.startsWith('__'));
    return { topics: all.filter((t) => !t.endsWith('.dlq')), dlq: all.filter((t) => t.endsWith('.dlq')) };
  } finally {
    await admin.disconnect();
  }
}

/** Each consumer group's lag against `ends` (topic -> partition -> end offset), on the topics it committed on; groups without lag left out. */
export async function groupLag(kafka: Kafka, ends: ReadonlyMap<string, ReadonlyMap<number, number>>): Promise<Record<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    const lagging: Record<string, number> = {};
    for (const { groupId } of groups.filter((g) => !g.groupId.startsWith('clinic-faults-reader-'))) {
      const committed = await admin.fetchOffsets({ groupId, topics: [...ends.keys()] });
      let lag = 0;
      for (const { topic, partitions } of committed) {
        if (!partitions.some((p) => Number(p.offset) >= 0)) continue; // not a topic of this group
        for (const p of partitions) lag += Math.max(0, (ends.get(topic)?.get(p.partition) ?? 0) - Math.max(0, Number(p.offset)));
      }
      if (lag > 0) lagging[groupId] = lag;
    }
    return lagging;
  } finally {
    await admin.disconnect();
  }
}

export async function topicEnds(kafka: Kafka, topics: readonly string[]): Promise<Map<string, Map<number, number>>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, Map<number, number>>();
    for (const topic of topics) ends.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));
    return ends;
  } finally {
    await admin.disconnect();
  }
}

export interface TopicMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly causationid?: string;
}

/**
 * A message's CloudEvents attributes: structured mode (a JSON envelope, the integration topics) or
 * binary mode (`ce_*` headers around a SCRIPT XML body, the pharmacy topic).
 */
function cloudEventAttributes(message: KafkaMessage): Partial<TopicMessage> {
  const header = (name: string) => message.headers?.[name]?.toString();
  const id = header('ce_id');
  if (id !== undefined) {
    const subject = header('ce_subject');
    const causationid = header('ce_causationid');
    return { id, source: header('ce_source') ?? '', type: header('ce_type') ?? '', ...(subject !== undefined && { subject }), ...(causationid !== undefined && { causationid }) };
  }
  return JSON.parse(message.value?.toString() ?? '{}') as Partial<TopicMessage>;
}

/** Every message of `topics`, from the beginning to their current ends (a group of its own). */
export async function readTopics(kafka: Kafka, topics: readonly string[]): Promise<TopicMessage[]> {
  const ends = await topicEnds(kafka, topics);
  const remaining = new Map<string, number>();
  for (const [topic, partitions] of ends) for (const [partition, end] of partitions) if (end > 0) remaining.set(`${topic}/${partition}`, end);
  const messages: TopicMessage[] = [];
  if (remaining.size === 0) return messages;
  const consumer = kafka.consumer({ groupId: `clinic-faults-reader-${Date.now()}`, sessionTimeout: 6_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...ends.keys()].filter((t) => [...(ends.get(t)?.values() ?? [])].some((e) => e > 0)), fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading the topics: ${remaining.size} partitions unread after 120 s`)), 120_000);
      void consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            const value = cloudEventAttributes(message);
            messages.push({
              topic,
              partition,
              offset: Number(message.offset),
              key: message.key?.toString() ?? '',
              id: value.id ?? '',
              source: value.source ?? '',
              type: value.type ?? '',
              ...(value.subject !== undefined && { subject: value.subject }),
              ...(value.causationid !== undefined && { causationid: value.causationid }),
            });
            const key = `${topic}/${partition}`;
            if (Number(message.offset) + 1 >= (remaining.get(key) ?? Infinity)) remaining.delete(key);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

export interface TopicFindings {
  /** Inbox rows of a group for a topic minus the distinct ids of the types it processes there (negative: missing). */
  readonly inboxMismatches: string[];
  readonly outOfOrderKeys: number;
  readonly republished: number;
  readonly newRxLost: number;
  readonly newRxDuplicated: number;
  readonly deadLettered: number;
  readonly deadLetteredProcessed: number;
}

/** Inboxes = distinct ids on the topics, per-key order of first deliveries, the pharmacy's NewRx, the dead letters. */
export async function topicFindings(pool: Pool, messages: readonly TopicMessage[], dlqMessages: readonly TopicMessage[], newRx: readonly string[]): Promise<TopicFindings> {
  const firstSeen = new Map<string, TopicMessage>();
  for (const m of [...messages].sort((a, b) => a.offset - b.offset)) if (!firstSeen.has(`${m.topic}|${m.source}|${m.id}`)) firstSeen.set(`${m.topic}|${m.source}|${m.id}`, m);
  const inboxMismatches: string[] = [];
  const processed = new Set<string>();
  for (const schema of SCHEMAS) {
    const { rows } = await pool.query<{ consumer_group: string; topic: string; event_type: string; event_source: string; event_id: string }>(
      `SELECT consumer_group, topic, event_type, event_source, event_id FROM "${schema}".inbox WHERE outcome = 'processed'`,
    );
    rows.forEach((r) => processed.add(`${r.event_source}|${r.event_id}`));
    const pairs = new Map<string, typeof rows>();
    for (const r of rows) pairs.set(`${r.consumer_group}|${r.topic}`, [...(pairs.get(`${r.consumer_group}|${r.topic}`) ?? []), r]);
    for (const [pair, inbox] of pairs) {
      const [group, topic] = pair.split('|') as [string, string];
      const types = new Set(inbox.map((r) => r.event_type));
      const onTopic = [...firstSeen.values()].filter((m) => m.topic === topic && types.has(m.type)).length;
      if (inbox.length !== onTopic) inboxMismatches.push(`${schema}.inbox ${group} ${topic}: ${inbox.length} processed, ${onTopic} distinct ids on the topic`);
    }
  }
  // Per key (and source), the stored events' positions must rise in delivery order.
  const positions = new Map<string, number>();
  for (const schema of SCHEMAS) {
    const { rows } = await pool.query<{ event_id: string; global_position: string }>(`SELECT event_id, global_position FROM "${schema}".events`);
    rows.forEach((r) => positions.set(r.event_id, Number(r.global_position)));
  }
  const last = new Map<string, number>();
  const outOfOrder = new Set<string>();
  for (const m of [...firstSeen.values()].sort((a, b) => a.offset - b.offset)) {
    const position = positions.get(m.causationid ?? '');
    if (position === undefined) continue;
    const key = `${m.topic}|${m.partition}|${m.key}|${m.source}`;
    if (position < (last.get(key) ?? 0)) outOfOrder.add(key);
    last.set(key, position);
  }
  const newRxIds = newRxBySubject(messages);
  return {
    inboxMismatches,
    outOfOrderKeys: outOfOrder.size,
    republished: messages.length - firstSeen.size,
    newRxLost: newRx.filter((id) => !newRxIds.has(id)).length,
    newRxDuplicated: newRx.filter((id) => (newRxIds.get(id)?.size ?? 0) > 1).length,
    deadLettered: dlqMessages.length,
    deadLetteredProcessed: dlqMessages.filter((m) => processed.has(`${m.source}|${m.id}`)).length,
  };
}

/** NewRx messages on the pharmacy topic: prescription id -> distinct event ids (a republished one counts once). */
export function newRxBySubject(messages: readonly TopicMessage[]): Map<string, Set<string>> {
  const ids = new Map<string, Set<string>>();
  for (const m of messages) if (m.type.includes('NewRxTransmitted')) ids.set(m.subject ?? '', (ids.get(m.subject ?? '') ?? new Set()).add(m.id));
  return ids;
}

/** `npm run audit:verify` on the scenario's database: true when every stream's hash chain holds. */
export async function auditVerify(databaseUrl: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout } = await promisify(execFile)(path.join(root, 'tools', 'ts-node.sh'), [path.join(root, 'tools', 'audit-verify.ts')], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { ok: true, output: stdout };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout ?? error) };
  }
}
