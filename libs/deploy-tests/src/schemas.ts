import { type K8sObject, objectName } from './kustomize';

export interface SchemaError {
  readonly object: string;
  readonly message: string;
}

/** The kubernetes-models module of a built-in kind: `apps/v1` Deployment -> `kubernetes-models/apps/v1/Deployment`. */
function modelModule(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

const CRD_CHECKS: Record<string, (o: K8sObject) => string[]> = {
  'kafka.strimzi.io/v1beta2/KafkaTopic': checkKafkaTopic,
  'monitoring.coreos.com/v1/ServiceMonitor': checkServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': checkPrometheusRule,
};

/**
 * Validates built-in kinds against the Kubernetes OpenAPI schemas shipped by kubernetes-models
 * (its `validate()` checks types, formats such as quantities and required fields; it does not
 * reject unknown fields), and the custom resources we use against the fields their operators
 * require. A kind known to neither is an error, so nothing passes unchecked.
 */
export function validateSchemas(objects: readonly K8sObject[]): SchemaError[] {
  const errors: SchemaError[] = [];
  for (const o of objects) {
    const name = objectName(o);
    if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
      errors.push({ object: name, message: 'apiVersion, kind and metadata.name are required' });
      continue;
    }
    const crd = CRD_CHECKS[`${o.apiVersion}/${o.kind}`];
    if (crd) {
      errors.push(...crd(o).map((message) => ({ object: name, message })));
      continue;
    }
    let Model: (new (data: unknown) => { validate(): void }) | undefined;
    try {
      Model = (require(modelModule(o.apiVersion, o.kind)) as Record<string, new (data: unknown) => { validate(): void }>)[o.kind];
    } catch {
      Model = undefined;
    }
    if (!Model) {
      errors.push({ object: name, message: `no schema for ${o.apiVersion} ${o.kind}` });
      continue;
    }
    try {
      new Model(o).validate();
    } catch (error) {
      errors.push({ object: name, message: (error as Error).message });
    }
  }
  return errors;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const TOPIC = /^carebridge\.[a-z][a-z-]*\.[a-z][a-z-]*\.v\d+(\.dlq)?$/;
const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

/** Strimzi KafkaTopic (v1beta2): what the Topic Operator needs to create the topic we mean. */
function checkKafkaTopic(o: K8sObject): string[] {
  const problems: string[] = [];
  const spec = o.spec ?? {};
  const topicName: unknown = spec.topicName ?? o.metadata.name;
  if (!DNS_SUBDOMAIN.test(o.metadata.name)) problems.push('metadata.name must be a DNS-1123 subdomain');
  if (!o.metadata.labels?.['strimzi.io/cluster']) problems.push('metadata.labels["strimzi.io/cluster"] is required');
  if (typeof topicName !== 'string' || !TOPIC.test(topicName)) {
    problems.push(`topic name ${String(topicName)} does not follow carebridge.<context>.<aggregate>.v<N>[.dlq]`);
  }
  if (!isPositiveInt(spec.partitions)) problems.push('spec.partitions must be an integer >= 1');
  if (!isPositiveInt(spec.replicas)) problems.push('spec.replicas must be an integer >= 1');
  const config = spec.config ?? {};
  if (!isPositiveInt(config['retention.ms'])) problems.push('spec.config["retention.ms"] must be set (an integer of milliseconds)');
  const minIsr = config['min.insync.replicas'];
  if (minIsr !== undefined && (!isPositiveInt(minIsr) || (isPositiveInt(spec.replicas) && minIsr > spec.replicas))) {
    problems.push('spec.config["min.insync.replicas"] must be between 1 and spec.replicas');
  }
  return problems;
}

/** Prometheus Operator ServiceMonitor: a selector and endpoints that name a port. */
function checkServiceMonitor(o: K8sObject): string[] {
  const problems: string[] = [];
  const labels = o.spec?.selector?.matchLabels;
  if (!labels || Object.keys(labels).length === 0) problems.push('spec.selector.matchLabels is required');
  const endpoints: unknown = o.spec?.endpoints;
  if (!Array.isArray(endpoints) || endpoints.length === 0) problems.push('spec.endpoints must list at least one endpoint');
  else {
    endpoints.forEach((e: { port?: unknown; path?: unknown }, i) => {
      if (typeof e.port !== 'string') problems.push(`spec.endpoints[${i}].port must name a Service port`);
    });
  }
  return problems;
}

/** Prometheus Operator PrometheusRule: named groups of rules, each an alert or a record with an expr. */
function checkPrometheusRule(o: K8sObject): string[] {
  const problems: string[] = [];
  const groups: unknown = o.spec?.groups;
  if (!Array.isArray(groups) || groups.length === 0) return ['spec.groups must list at least one group'];
  groups.forEach((g: { name?: unknown; rules?: unknown }, i) => {
    if (typeof g.name !== 'string' || g.name === '') problems.push(`spec.groups[${i}].name is required`);
    if (!Array.isArray(g.rules) || g.rules.length === 0) {
      problems.push(`spec.groups[${i}].rules must list at least one rule`);
      return;
    }
    g.rules.forEach((r: { alert?: unknown; record?: unknown; expr?: unknown }, j) => {
      if ((typeof r.alert === 'string') === (typeof r.record === 'string')) problems.push(`spec.groups[${i}].rules[${j}]: exactly one of alert and record`);
      if (typeof r.expr !== 'string' || r.expr.trim() === '') problems.push(`spec.groups[${i}].rules[${j}].expr is required`);
    });
  });
  return problems;
}
