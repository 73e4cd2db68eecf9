import type { K8sObject } from './kustomize';
import { checkPolicies, type PolicyRule } from './policy';
import { validateSchemas } from './schemas';
import { checkUnknownFields } from './unknown-fields';

// A minimal compliant service; each test breaks one thing and expects the named rule to fire.
const podLabels = { 'app.kubernetes.io/name': 'demo', 'app.kubernetes.io/component': 'server' };

function compliant(): K8sObject[] {
  const container = {
    name: 'demo',
    image: 'registry.example/carebridge/demo:1.2.3',
    env: [{ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'demo-database', key: 'password' } } }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
    livenessProbe: { httpGet: { path: '/health/live', port: 8080 } },
    readinessProbe: { httpGet: { path: '/health/ready', port: 8080 } },
    securityContext: {
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  const meta = (kind: string, name = 'demo') => ({ kind, metadata: { name, namespace: 'ns', labels: podLabels } });
  return [
    {
      apiVersion: 'apps/v1',
      ...meta('Deployment'),
      spec: {
        selector: { matchLabels: podLabels },
        template: {
          metadata: { labels: podLabels },
          spec: {
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 30,
            containers: [container],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    { apiVersion: 'policy/v1', ...meta('PodDisruptionBudget'), spec: { maxUnavailable: 1, selector: { matchLabels: podLabels } } },
    {
      apiVersion: 'autoscaling/v2',
      ...meta('HorizontalPodAutoscaler'),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo' }, minReplicas: 1, maxReplicas: 3 },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      ...meta('NetworkPolicy'),
      spec: { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'demo' } }, policyTypes: ['Ingress', 'Egress'] },
    },
    { apiVersion: 'v1', ...meta('ServiceAccount'), automountServiceAccountToken: false },
    {
      apiVersion: 'v1',
      ...meta('Service'),
      spec: { selector: podLabels, ports: [{ name: 'metrics', port: 9464, targetPort: 9464 }] },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      ...meta('ServiceMonitor'),
      spec: { selector: { matchLabels: podLabels }, endpoints: [{ port: 'metrics' }] },
    },
  ] as K8sObject[];
}

const deployment = (objects: K8sObject[]) => objects.find((o) => o.kind === 'Deployment')!;
const container = (objects: K8sObject[]) => deployment(objects).spec.template.spec.containers[0];
const rulesOf = (objects: K8sObject[]): PolicyRule[] => [...new Set(checkPolicies(objects).map((v) => v.rule))];

it('passes the compliant service', () => {
  expect(checkPolicies(compliant())).toEqual([]);
  expect(validateSchemas(compliant())).toEqual([]);
});

const breakages: [PolicyRule, string, (objects: K8sObject[]) => void][] = [
  ['probes', 'no readiness probe', (o) => delete container(o).readinessProbe],
  ['probes', 'no liveness probe', (o) => delete container(o).livenessProbe],
  ['resource-limits', 'no memory limit', (o) => delete container(o).resources.limits.memory],
  ['resource-limits', 'no cpu limit', (o) => delete container(o).resources.limits.cpu],
  ['run-as-non-root', 'runAsNonRoot missing', (o) => delete container(o).securityContext.runAsNonRoot],
  ['run-as-non-root', 'runAsUser 0', (o) => (container(o).securityContext.runAsUser = 0)],
  ['read-only-root-filesystem', 'writable root', (o) => (container(o).securityContext.readOnlyRootFilesystem = false)],
  ['no-privilege-escalation', 'escalation allowed', (o) => (container(o).securityContext.allowPrivilegeEscalation = true)],
  ['drop-all-capabilities', 'capabilities kept', (o) => (container(o).securityContext.capabilities = { drop: ['NET_RAW'] })],
  ['seccomp-runtime-default', 'no seccomp', (o) => delete container(o).securityContext.seccompProfile],
  ['writable-tmp', 'no /tmp volume', (o) => (container(o).volumeMounts = [])],
  ['image-tag', ':latest', (o) => (container(o).image = 'registry.example/carebridge/demo:latest')],
  ['image-tag', 'untagged', (o) => (container(o).image = 'registry.example:5000/carebridge/demo')],
  ['secret-by-reference', 'password as a literal', (o) => (container(o).env = [{ name: 'PGPASSWORD', value: 'hunter2' }])],
  [
    'secret-by-reference',
    'password in a ConfigMap URL',
    (o) => o.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { DATABASE_URL: 'postgres://u:pw@db:5432/x' } }),
  ],
  [
    'inline-secret',
    'Secret with data',
    (o) => o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } }),
  ],
  ['service-account-token', 'token mounted', (o) => (deployment(o).spec.template.spec.automountServiceAccountToken = true)],
  ['termination-grace-period', 'no grace period', (o) => delete deployment(o).spec.template.spec.terminationGracePeriodSeconds],
  ['pod-disruption-budget', 'no PDB', (o) => o.splice(o.findIndex((x) => x.kind === 'PodDisruptionBudget'), 1)],
  ['horizontal-pod-autoscaler', 'no HPA', (o) => o.splice(o.findIndex((x) => x.kind === 'HorizontalPodAutoscaler'), 1)],
  ['network-policy', 'no NetworkPolicy', (o) => o.splice(o.findIndex((x) => x.kind === 'NetworkPolicy'), 1)],
  [
    'network-policy',
    'a policy for other pods',
    (o) => (o.find((x) => x.kind === 'NetworkPolicy')!.spec.podSelector.matchLabels = { 'app.kubernetes.io/name': 'other' }),
  ],
  ['service-monitor-port', 'ServiceMonitor port unknown', (o) => (o.find((x) => x.kind === 'ServiceMonitor')!.spec.endpoints[0].port = 'web')],
];

it.each(breakages)('%s fires on: %s', (rule, _what, breakIt) => {
  const objects = compliant();
  breakIt(objects);
  expect(rulesOf(objects)).toEqual([rule]);
});

describe('schema validation', () => {
  it('rejects a malformed quantity in a Deployment (Kubernetes OpenAPI schema)', () => {
    const objects = compliant();
    container(objects).resources.limits.memory = '256 MB';
    const errors = validateSchemas(objects);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ object: 'Deployment/ns/demo', message: expect.stringContaining('limits/memory') });
  });

  it('rejects a wrong type (replicas as a string)', () => {
    const objects = compliant();
    deployment(objects).spec.replicas = 'two';
    expect(validateSchemas(objects).map((e) => e.message).join()).toContain('replicas');
  });

  it('names a field the API does not know (a typo that validate() lets through)', () => {
    const objects = compliant();
    container(objects).readinesProbe = container(objects).readinessProbe;
    expect(validateSchemas(objects)).toEqual([]);
    expect(checkUnknownFields(objects)).toEqual([
      { object: 'Deployment/ns/demo', message: expect.stringContaining("'\"readinesProbe\"' does not exist in type 'IContainer'") },
    ]);
  }, 30_000);

  it('rejects a kind it has no schema for, rather than passing it unchecked', () => {
    expect(validateSchemas([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toEqual([
      { object: 'Widget/w', message: 'no schema for example.com/v1 Widget' },
    ]);
  });

  it('checks the KafkaTopic fields the Topic Operator needs', () => {
    const topic: K8sObject = {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name: 'carebridge.demo.thing.v1', labels: { 'strimzi.io/cluster': 'carebridge' } },
      spec: { topicName: 'carebridge.demo.thing.v1', partitions: 3, replicas: 3, config: { 'retention.ms': 1000, 'min.insync.replicas': 2 } },
    };
    expect(validateSchemas([topic])).toEqual([]);
    const broken = structuredClone(topic);
    delete broken.metadata.labels;
    delete broken.spec.partitions;
    broken.spec.config['min.insync.replicas'] = 4;
    broken.spec.topicName = 'Demo_Topic';
    expect(validateSchemas([broken]).map((e) => e.message)).toEqual([
      'metadata.labels["strimzi.io/cluster"] is required',
      'topic name Demo_Topic does not follow carebridge.<context>.<aggregate>.v<N>[.dlq]',
      'spec.partitions must be an integer >= 1',
      'spec.config["min.insync.replicas"] must be between 1 and spec.replicas',
    ]);
  });

  it('checks a ServiceMonitor has a selector and named ports', () => {
    const monitor: K8sObject = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' }, spec: { endpoints: [{ port: 9464 }] } };
    expect(validateSchemas([monitor]).map((e) => e.message)).toEqual([
      'spec.selector.matchLabels is required',
      'spec.endpoints[0].port must name a Service port',
    ]);
  });

  it('checks a PrometheusRule has named groups of rules with an expr', () => {
    const rule: K8sObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'r' },
      spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0' }, { alert: 'B', record: 'b' }] }] },
    };
    expect(validateSchemas([rule]).map((e) => e.message)).toEqual([
      'spec.groups[0].rules[1]: exactly one of alert and record',
      'spec.groups[0].rules[1].expr is required',
    ]);
  });
});
