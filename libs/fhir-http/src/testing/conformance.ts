/* eslint-disable @typescript-eslint/no-require-imports */
import type { MedplumClient } from '@medplum/core';
import { type FhirValidator, fhirValidator } from './validator';

type Json = Record<string, unknown>;
type Bundle = Json & { total?: number; link?: { relation: string; url: string }[]; entry?: { fullUrl?: string; resource: Json }[] };

export interface RawAnswer {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

const RESULT_PARAMETERS = new Set(['_count', '_offset', '_format']);

/**
 * Drives one service's FHIR endpoints with Medplum's own client (`MedplumClient`, pointed at our
 * base with our bearer token) and validates every resource it gets back with Medplum's validator.
 * Records the interactions and search parameters that succeeded, to compare with the service's
 * CapabilityStatement: it must list exactly those.
 */
export class FhirConformance {
  readonly validator: FhirValidator = fhirValidator();
  /** Resources validated, by type; and the profiles they were checked against. */
  readonly validated = new Map<string, number>();
  readonly profilesChecked = new Set<string>();
  readonly answers: RawAnswer[] = [];
  private readonly exercised = new Map<string, { interactions: Set<string>; searchParams: Set<string> }>();

  constructor(
    /** `http://127.0.0.1:<port>` */
    readonly origin: string,
    /** `fhir/R4`, `v1/fhir` */
    readonly fhirUrlPath: string,
  ) {}

  get base(): string {
    return `${this.origin}/${this.fhirUrlPath}`;
  }

  /** A Medplum client acting with this bearer token (each actor its own). */
  client(token?: string): MedplumClient {
    const { MedplumClient: Client } = this.validator.core;
    const client = new Client({
      baseUrl: `${this.origin}/`,
      fhirUrlPath: this.fhirUrlPath,
      cacheTime: 0,
      fetch: async (url: string, init?: RequestInit) => {
        const response = await fetch(url, init);
        const text = await response.clone().text();
        const answer = { method: init?.method ?? 'GET', url, status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : undefined };
        this.answers.push(answer);
        this.record(answer);
        return response;
      },
    });
    if (token !== undefined) client.setAccessToken(token);
    return client;
  }

  get last(): RawAnswer {
    const answer = this.answers.at(-1);
    if (!answer) throw new Error('no request sent yet');
    return answer;
  }

  /** Validates a resource (R4 and claimed profiles, no empty values) and counts it. */
  validate(resource: Json): Json {
    for (const profile of this.validator.validate(resource)) this.profilesChecked.add(profile);
    const type = String(resource.resourceType);
    this.validated.set(type, (this.validated.get(type) ?? 0) + 1);
    return resource;
  }

  async read(client: MedplumClient, type: string, id: string): Promise<Json> {
    const resource = (await client.readResource(type as never, id)) as unknown as Json;
    this.expectFhirJson();
    return this.validate(resource);
  }

  /** One page: the Bundle and its entries validated, `self` present, fullUrls absolute under our base. */
  async search(client: MedplumClient, type: string, query: Record<string, string | string[]>): Promise<Bundle> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) for (const v of [value].flat()) params.append(name, v);
    const bundle = (await client.search(type as never, params)) as unknown as Bundle;
    this.expectFhirJson();
    this.validate(bundle);
    if (!bundle.link?.some((l) => l.relation === 'self' && l.url.startsWith(`${this.base}/${type}`))) throw new Error(`${type} search: no self link under ${this.base}`);
    for (const entry of bundle.entry ?? []) {
      if (entry.fullUrl !== `${this.base}/${String(entry.resource.resourceType)}/${String(entry.resource.id)}`) throw new Error(`${type} search: fullUrl ${entry.fullUrl} is not absolute under ${this.base}`);
      this.validate(entry.resource);
    }
    return bundle;
  }

  /** Every page, following `next` links as Medplum's searchResourcePages does; checks the pages add up to `total`. */
  async searchAll(client: MedplumClient, type: string, query: Record<string, string | string[]>, count: number): Promise<{ pages: number; resources: Json[] }> {
    let bundle = await this.search(client, type, { ...query, _count: String(count) });
    const total = bundle.total ?? 0;
    const resources = (bundle.entry ?? []).map((e) => e.resource);
    let pages = 1;
    for (let next = bundle.link?.find((l) => l.relation === 'next'); next; next = bundle.link?.find((l) => l.relation === 'next')) {
      if (!next.url.startsWith(`${this.base}/${type}?`)) throw new Error(`${type} next link ${next.url} is not under ${this.base}`);
      bundle = await this.search(client, type, Object.fromEntries(groupParams(new URL(next.url).searchParams)));
      resources.push(...(bundle.entry ?? []).map((e) => e.resource));
      pages += 1;
      if (pages > 100) throw new Error(`${type}: more than 100 pages`);
    }
    if (resources.length !== total) throw new Error(`${type}: ${resources.length} resources over ${pages} pages, total says ${total}`);
    if (pages !== Math.max(1, Math.ceil(total / count))) throw new Error(`${type}: ${pages} pages for ${total} at ${count} a page`);
    return { pages, resources };
  }

  async create(client: MedplumClient, resource: Json, headers: Record<string, string> = {}): Promise<Json> {
    const answer = (await client.createResource(resource as never, { headers })) as unknown as Json;
    this.expectFhirJson();
    return this.validate(answer);
  }

  /** The call fails, and the server's own answer is a valid OperationOutcome with this status and issue code. */
  async expectOutcome(call: () => Promise<unknown>, status: number, issueCode: string): Promise<Json> {
    const before = this.answers.length;
    let failed = false;
    try {
      await call();
    } catch {
      failed = true;
    }
    const answer = this.answers.at(-1);
    if (!failed || !answer || this.answers.length === before) throw new Error(`expected a ${status} OperationOutcome, the call ${failed ? 'sent nothing' : 'succeeded'}`);
    const body = answer.body as Json & { issue?: { code?: string }[] };
    if (answer.status !== status || body?.resourceType !== 'OperationOutcome' || body.issue?.[0]?.code !== issueCode || !answer.contentType.startsWith('application/fhir+json')) {
      throw new Error(`${answer.method} ${answer.url}: expected ${status} OperationOutcome ${issueCode}, got ${answer.status} ${answer.contentType} ${JSON.stringify(body)}`);
    }
    return this.validate(body);
  }

  /** The CapabilityStatement (no token), validated. */
  async capabilityStatement(client: MedplumClient): Promise<Json> {
    const statement = (await client.get(`${this.base}/metadata`)) as unknown as Json;
    this.expectFhirJson();
    return this.validate(statement);
  }

  /** Differences between what the statement lists and what this run exercised successfully. */
  compareWith(statement: Json): string[] {
    const problems: string[] = [];
    const listed = ((statement.rest as { resource: { type: string; interaction?: { code: string }[]; searchParam?: { name: string }[] }[] }[])[0]?.resource ?? []);
    const sorted = (values: Iterable<string>) => JSON.stringify([...values].sort());
    for (const r of listed) {
      const done = this.exercised.get(r.type);
      if (!done) {
        problems.push(`${r.type}: listed, never exercised`);
        continue;
      }
      if (sorted((r.interaction ?? []).map((i) => i.code)) !== sorted(done.interactions)) problems.push(`${r.type}: lists ${sorted((r.interaction ?? []).map((i) => i.code))}, exercised ${sorted(done.interactions)}`);
      if (sorted((r.searchParam ?? []).map((p) => p.name)) !== sorted(done.searchParams)) problems.push(`${r.type}: lists search parameters ${sorted((r.searchParam ?? []).map((p) => p.name))}, exercised ${sorted(done.searchParams)}`);
    }
    for (const type of this.exercised.keys()) if (!listed.some((r) => r.type === type)) problems.push(`${type}: exercised, not listed`);
    return problems;
  }

  private expectFhirJson(): void {
    if (!this.last.contentType.startsWith('application/fhir+json')) throw new Error(`${this.last.method} ${this.last.url}: content-type ${this.last.contentType}`);
  }

  private record(answer: RawAnswer): void {
    if (answer.status >= 300) return;
    const url = new URL(answer.url);
    const prefix = `/${this.fhirUrlPath}/`;
    if (!url.pathname.startsWith(prefix)) return;
    const [type, id, ...rest] = url.pathname.slice(prefix.length).split('/');
    if (type === undefined || type === 'metadata' || rest.length > 0) return;
    const entry = this.exercised.get(type) ?? { interactions: new Set<string>(), searchParams: new Set<string>() };
    this.exercised.set(type, entry);
    if (answer.method === 'POST' && id === undefined) entry.interactions.add('create');
    if (answer.method === 'GET' && id !== undefined) entry.interactions.add('read');
    if (answer.method === 'GET' && id === undefined) {
      entry.interactions.add('search-type');
      // What the server applied: its self link (an ignored parameter is not supported, whatever was sent).
      const self = (answer.body as Bundle | undefined)?.link?.find((l) => l.relation === 'self')?.url;
      for (const name of new URL(self ?? answer.url).searchParams.keys()) if (!RESULT_PARAMETERS.has(name)) entry.searchParams.add(name);
    }
  }
}

function groupParams(params: URLSearchParams): [string, string | string[]][] {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of params) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  return [...grouped].map(([name, values]) => [name, values.length === 1 ? values[0]! : values]);
}
