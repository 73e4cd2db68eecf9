#!/usr/bin/env node
/**
 * Writes k8s/base/<service>/*.yaml and k8s/base/kafka-topics/*.yaml from the table below, so the
 * five services' manifests stay alike. The YAML files are committed and are what kustomize reads;
 * libs/deploy-tests checks that they match this script's output (run it after editing the table):
 *
 *   node k8s/generate-base.cjs          # rewrite the files
 *   node k8s/generate-base.cjs --check  # exit 1 and name the files that differ
 *
 * Everything else in k8s/ (platform/, observability/, overlays/) is written by hand.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const NAMESPACE = 'carebridge';
const KAFKA_NAMESPACE = 'kafka';
const KAFKA_CLUSTER = 'carebridge';
const HTTP_PORT = 8080;
const METRICS_PORT = 9464;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The services, the topics each one owns (contracts: libs/contracts/src/<context>/; the spec in
 * libs/deploy-tests fails when a contract's topic is missing here) and
 * whether it uses Redis (BullMQ jobs). Partitions bound useful consumer replicas: a consumer
 * group never has more active members than the topic has partitions.
 */
const SERVICES = [
  {
    name: 'billing-eligibility',
    redis: true,
    topics: [{ topic: 'carebridge.billing-eligibility.eligibility.v1', key: 'patient id', partitions: 6, retentionDays: 7 }],
  },
  {
    name: 'monitoring',
    redis: true,
    topics: [
      // Written by device gateways, which know the device, not the patient (apps/monitoring/README.md).
      { topic: 'carebridge.monitoring.reading.v1', key: 'device id', partitions: 12, retentionDays: 3 },
      { topic: 'carebridge.monitoring.alert.v1', key: 'patient id', partitions: 12, retentionDays: 7 },
      { topic: 'carebridge.monitoring.rpm-period.v1', key: 'patient id', partitions: 12, retentionDays: 7 },
    ],
  },
  {
    name: 'prescriptions',
    redis: true,
    // EPCS record signing key and the AES key of the prescribers' TOTP secrets: without them the
    // service generates throwaway keys at each start (development only), so they are required.
    secrets: [
      { env: 'PRESCRIPTIONS_SIGNING_KEY_PEM', secret: 'prescriptions-keys', key: 'signing-key.pem' },
      { env: 'PRESCRIPTIONS_OTP_KEY', secret: 'prescriptions-keys', key: 'otp-key' },
      { env: 'PRESCRIPTIONS_VERIFY_KEYS_PEM', secret: 'prescriptions-keys', key: 'verify-keys.pem', optional: true },
    ],
    topics: [
      { topic: 'carebridge.prescriptions.prescription.v1', key: 'prescription id', partitions: 6, retentionDays: 7 },
      // To pharmacies (NewRx...), keyed by the pharmacy's NCPDP id; their answers come back on
      // pharmacy-response (written by the pharmacies' systems, consumed by prescriptions).
      { topic: 'carebridge.prescriptions.pharmacy.v1', key: 'pharmacy NCPDP id', partitions: 6, retentionDays: 7 },
      { topic: 'carebridge.prescriptions.pharmacy-response.v1', key: 'pharmacy NCPDP id', partitions: 6, retentionDays: 7 },
    ],
  },
  {
    name: 'scheduling',
    redis: true,
    topics: [
      { topic: 'carebridge.scheduling.appointment.v1', key: 'appointment id', partitions: 6, retentionDays: 7 },
      // EmergencyRedirected: red-flag symptoms at intake.
      { topic: 'carebridge.scheduling.triage.v1', key: 'patient id', partitions: 6, retentionDays: 7 },
    ],
  },
  {
    name: 'visits',
    redis: true,
    // LiveKit: without them the service runs and room join tokens answer 503.
    secrets: [
      { env: 'LIVEKIT_API_KEY', secret: 'visits-livekit', key: 'api-key', optional: true },
      { env: 'LIVEKIT_API_SECRET', secret: 'visits-livekit', key: 'api-secret', optional: true },
    ],
    topics: [{ topic: 'carebridge.visits.visit.v1', key: 'visit id', partitions: 6, retentionDays: 7 }],
  },
];
const DLQ_RETENTION_DAYS = 14;

const labels = (service, component) => ({
  'app.kubernetes.io/name': service,
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': 'carebridge',
});

function serviceAccount(s) {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: s.name, labels: labels(s.name, 'server') },
    // The services never call the Kubernetes API.
    automountServiceAccountToken: false,
  };
}

function configMap(s) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${s.name}-config`, labels: labels(s.name, 'server') },
    data: {
      SERVICE_NAME: s.name,
      PORT: String(HTTP_PORT),
      METRICS_PORT: String(METRICS_PORT),
      LOG_LEVEL: 'info',
      TRACE_EXPORTER: 'otlp',
      OTEL_SERVICE_NAME: s.name,
      // The heap below the container's memory limit leaves room for buffers and the stack.
      NODE_OPTIONS: '--max-old-space-size=384 --enable-source-maps',
      // One PostgreSQL role per service, named like its schema (docs/service-guide.md: name with
      // _ for -). DATABASE_URL (carebridge-platform) names no user: node-postgres takes PGUSER.
      PGUSER: s.name.replace(/-/g, '_'),
      // ingress-nginx is the one proxy in front: the client address is the last X-Forwarded-For
      // entry (rate limits per address; README, "Input limits and rate limits").
      RATE_LIMIT_TRUSTED_PROXY_HOPS: '1',
    },
  };
}

/** Env shared by the Deployment and the migration Job: config by reference, secrets by key. */
function envFor(s) {
  const env = [
    { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    {
      name: 'OTEL_RESOURCE_ATTRIBUTES',
      value: 'k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE),service.namespace=carebridge',
    },
    // DATABASE_URL (ConfigMap) holds no credentials; node-postgres takes the password from PGPASSWORD.
    { name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: `${s.name}-database`, key: 'password' } } },
  ];
  if (s.redis) {
    env.push({ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'carebridge-redis', key: 'password', optional: true } } });
  }
  for (const x of s.secrets ?? []) {
    env.push({ name: x.env, valueFrom: { secretKeyRef: { name: x.secret, key: x.key, ...(x.optional && { optional: true }) } } });
  }
  return env;
}

const envFrom = (s) => [{ configMapRef: { name: 'carebridge-platform' } }, { configMapRef: { name: `${s.name}-config` } }];

const containerSecurity = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const podSecurity = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
};

const resources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
const tmpVolume = { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } };
const tmpMount = { name: 'tmp', mountPath: '/tmp' };

function deployment(s) {
  const selector = { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/component': 'server' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: s.name, labels: labels(s.name, 'server') },
    spec: {
      // No `replicas`: the HorizontalPodAutoscaler owns it (kubectl apply would reset it otherwise).
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: labels(s.name, 'server'),
          annotations: { 'kubectl.kubernetes.io/default-container': s.name },
        },
        spec: {
          serviceAccountName: s.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // SIGTERM: Nest closes HTTP, consumers stop fetching and finish the messages in hand
          // (a handler retrying with backoff can take ~15 s), the relay finishes its batch and
          // checkpoint, traces are flushed. preStop first lets endpoints drop the pod.
          terminationGracePeriodSeconds: 60,
          securityContext: podSecurity,
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: selector },
            },
          ],
          containers: [
            {
              name: s.name,
              image: `carebridge/${s.name}:0.1.0`,
              imagePullPolicy: 'IfNotPresent',
              ports: [
                { name: 'http', containerPort: HTTP_PORT, protocol: 'TCP' },
                { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
              ],
              envFrom: envFrom(s),
              env: envFor(s),
              resources,
              securityContext: containerSecurity,
              startupProbe: {
                httpGet: { path: '/health/live', port: 'http' },
                periodSeconds: 2,
                failureThreshold: 60,
                timeoutSeconds: 2,
              },
              livenessProbe: {
                httpGet: { path: '/health/live', port: 'http' },
                periodSeconds: 10,
                failureThreshold: 3,
                timeoutSeconds: 2,
              },
              readinessProbe: {
                httpGet: { path: '/health/ready', port: 'http' },
                periodSeconds: 5,
                failureThreshold: 2,
                // The readiness checks have their own per-check timeout (DEFAULT_CHECK_TIMEOUT_MS).
                timeoutSeconds: 4,
              },
              lifecycle: { preStop: { sleep: { seconds: 5 } } },
              volumeMounts: [tmpMount],
            },
          ],
          volumes: [tmpVolume],
        },
      },
    },
  };
}

function migrationJob(s) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${s.name}-migrate`,
      labels: labels(s.name, 'migration'),
      annotations: {
        // Argo CD and Flux run it before the Deployment changes; with plain kubectl see deploy/README.md.
        'argocd.argoproj.io/hook': 'PreSync',
        'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        'kustomize.toolkit.fluxcd.io/force': 'enabled',
      },
    },
    spec: {
      backoffLimit: 3,
      activeDeadlineSeconds: 900,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: labels(s.name, 'migration') },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: s.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: podSecurity,
          containers: [
            {
              name: 'migrate',
              image: `carebridge/${s.name}:0.1.0`,
              imagePullPolicy: 'IfNotPresent',
              // The contract (deploy/README.md): MIGRATE_ONLY=true runs the service's migrations
              // (event store, messaging, read models) and exits 0, without serving or consuming.
              envFrom: envFrom(s),
              env: [...envFor(s), { name: 'MIGRATE_ONLY', value: 'true' }],
              resources,
              securityContext: containerSecurity,
              volumeMounts: [tmpMount],
            },
          ],
          volumes: [tmpVolume],
        },
      },
    },
  };
}

function service(s) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: s.name, labels: labels(s.name, 'server') },
    spec: {
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/component': 'server' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
      ],
    },
  };
}

function pdb(s) {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: s.name, labels: labels(s.name, 'server') },
    spec: {
      // maxUnavailable rather than minAvailable: a single-replica dev install can still drain nodes.
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/component': 'server' } },
    },
  };
}

function hpa(s) {
  const maxPartitions = Math.min(...s.topics.map((t) => t.partitions));
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: s.name, labels: labels(s.name, 'server') },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: s.name },
      minReplicas: 2,
      // Past the partition count of the topics it consumes, extra replicas only serve HTTP.
      maxReplicas: maxPartitions,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: {
        // Every scale event rebalances the consumer groups: scale down slowly.
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
      },
    },
  };
}

/**
 * Egress rules, in a fixed order that the overlays' JSON patches rely on:
 * 0 DNS, 1 Kafka, 2 PostgreSQL, 3 Redis (when used), then the OTel collector and HTTPS (JWKS).
 */
function networkPolicy(s) {
  const tcp = (port) => ({ protocol: 'TCP', port });
  const egress = [
    {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, tcp(53)],
    },
    {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': KAFKA_NAMESPACE } }, podSelector: { matchLabels: { 'strimzi.io/cluster': KAFKA_CLUSTER } } }],
      ports: [tcp(9092), tcp(9093)],
    },
    {
      // In-cluster PostgreSQL (dev); the prod overlay replaces this with the managed server's CIDR.
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgresql' } } }],
      ports: [tcp(5432)],
    },
  ];
  if (s.redis) {
    egress.push({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis' } } }],
      ports: [tcp(6379), tcp(6380)],
    });
  }
  egress.push(
    { to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'otel-collector' } } }], ports: [tcp(4318)] },
    {
      // The identity provider's JWKS (JWT_ISSUER / JWKS_URL), outside the cluster.
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16'] } }],
      ports: [tcp(443)],
    },
  );
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: s.name, labels: { ...labels(s.name, 'server'), 'carebridge.io/network-policy': 'service' } },
    spec: {
      // Server pods and the migration Job's pods.
      podSelector: { matchLabels: { 'app.kubernetes.io/name': s.name } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
          ports: [tcp(HTTP_PORT)],
        },
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
          ports: [tcp(METRICS_PORT)],
        },
      ],
      egress,
    },
  };
}

function serviceMonitor(s) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: s.name, labels: { ...labels(s.name, 'server'), release: 'kube-prometheus-stack' } },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/component': 'server' } },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
    },
  };
}

function kafkaTopics(s) {
  const topic = (name, partitions, retentionDays, key) => ({
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaTopic',
    metadata: {
      name,
      labels: { 'strimzi.io/cluster': KAFKA_CLUSTER, 'app.kubernetes.io/part-of': 'carebridge', 'carebridge.io/owner': s.name },
      annotations: { 'carebridge.io/partition-key': key },
    },
    spec: {
      topicName: name,
      // Partitions can grow but never shrink; growing one moves keys to other partitions
      // (per-key order breaks for events in flight): see deploy/README.md before changing.
      partitions,
      replicas: 3,
      config: {
        'retention.ms': retentionDays * DAY_MS,
        'cleanup.policy': 'delete',
        'min.insync.replicas': 2,
        // The relay sends batches up to Kafka's 1 MiB record-batch limit (docs/event-store.md).
        'max.message.bytes': 1048588,
      },
    },
  });
  return s.topics.flatMap((t) => [
    topic(t.topic, t.partitions, t.retentionDays, t.key),
    // One partition would keep order, but the dead letters of many partitions flow here.
    topic(`${t.topic}.dlq`, 3, DLQ_RETENTION_DAYS, `${t.key} (as the original message)`),
  ]);
}

const HEADER = '# Generated by k8s/generate-base.cjs: edit the script, then run it.\n';

function render() {
  const files = new Map();
  const doc = (objects) => HEADER + objects.map((o) => YAML.stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
  for (const s of SERVICES) {
    const dir = `k8s/base/${s.name}`;
    const parts = {
      'serviceaccount.yaml': [serviceAccount(s)],
      'configmap.yaml': [configMap(s)],
      'deployment.yaml': [deployment(s)],
      'service.yaml': [service(s)],
      'pdb.yaml': [pdb(s)],
      'hpa.yaml': [hpa(s)],
      'networkpolicy.yaml': [networkPolicy(s)],
      'migration-job.yaml': [migrationJob(s)],
      'servicemonitor.yaml': [serviceMonitor(s)],
    };
    for (const [file, objects] of Object.entries(parts)) files.set(`${dir}/${file}`, doc(objects));
    files.set(
      `${dir}/kustomization.yaml`,
      doc([{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: NAMESPACE, resources: Object.keys(parts) }]),
    );
    files.set(`k8s/base/kafka-topics/${s.name}.yaml`, doc(kafkaTopics(s)));
  }
  files.set(
    'k8s/base/kafka-topics/kustomization.yaml',
    doc([
      {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        // Strimzi's Topic Operator watches the Kafka cluster's namespace.
        namespace: KAFKA_NAMESPACE,
        resources: SERVICES.map((s) => `${s.name}.yaml`),
      },
    ]),
  );
  return files;
}

module.exports = { SERVICES, render };

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, text] of render()) {
    const full = path.join(root, file);
    const current = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    if (current === text) continue;
    if (check) stale.push(file);
    else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
      console.log(`[k8s] wrote ${file}`);
    }
  }
  if (check && stale.length > 0) {
    console.error(`[k8s] out of date (run node k8s/generate-base.cjs): ${stale.join(', ')}`);
    process.exit(1);
  }
}
