import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { allIntegrationEvents } from '@carebridge/contracts';
import { type K8sObject, kustomizeVersion, overlaysDir, renderKustomization, repoRoot } from './kustomize';
import { checkPolicies } from './policy';
import { validateSchemas } from './schemas';
import { checkUnknownFields } from './unknown-fields';

const generator = require(path.join(repoRoot, 'k8s', 'generate-base.cjs')) as {
  SERVICES: readonly { name: string; topics: readonly { topic: string }[] }[];
  render(): Map<string, string>;
};

const SERVICES = ['billing-eligibility', 'monitoring', 'prescriptions', 'scheduling', 'visits'];
const overlays = readdirSync(overlaysDir).filter((d) => existsSync(path.join(overlaysDir, d, 'kustomization.yaml')));
const rendered = new Map<string, K8sObject[]>();

beforeAll(() => {
  kustomizeVersion(); // fails with what to install when kubectl is missing or too old
  for (const overlay of overlays) rendered.set(overlay, renderKustomization(path.join(overlaysDir, overlay)));
});

const of = (overlay: string) => rendered.get(overlay)!;
const find = (overlay: string, kind: string, name: string) =>
  of(overlay).find((o) => o.kind === kind && o.metadata.name === name);

it('has the dev and prod overlays', () => {
  expect(overlays.sort()).toEqual(['dev', 'prod']);
});

describe.each(['dev', 'prod'])('overlay %s', (overlay) => {
  it('renders every service: Deployment, migration Job, Service, PDB, HPA, NetworkPolicy, ServiceMonitor', () => {
    for (const service of SERVICES) {
      for (const [kind, name] of [
        ['Deployment', service],
        ['Job', `${service}-migrate`],
        ['Service', service],
        ['PodDisruptionBudget', service],
        ['HorizontalPodAutoscaler', service],
        ['NetworkPolicy', service],
        ['ServiceMonitor', service],
        ['ServiceAccount', service],
        ['ConfigMap', `${service}-config`],
      ] as const) {
        expect(find(overlay, kind, name)).toBeDefined();
      }
    }
  });

  it('validates against the Kubernetes OpenAPI schemas and the CRDs required fields', () => {
    expect(validateSchemas(of(overlay))).toEqual([]);
  });

  it('has no field the Kubernetes API does not know (kubernetes-models interfaces, type-checked)', () => {
    expect(checkUnknownFields(of(overlay))).toEqual([]);
  }, 30_000);

  it('passes the policy checks', () => {
    expect(checkPolicies(of(overlay))).toEqual([]);
  });

  it('pins every image to a version of its own', () => {
    const images = of(overlay)
      .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
      .flatMap((o) => o.spec.template.spec.containers.map((c: { image: string }) => c.image));
    for (const service of SERVICES) {
      expect(images).toContainEqual(expect.stringMatching(new RegExp(`/carebridge/${service}:\\d+\\.\\d+\\.\\d+`)));
    }
  });

  it('runs the migration Job with MIGRATE_ONLY=true, the same image and config as the Deployment', () => {
    for (const service of SERVICES) {
      const job = find(overlay, 'Job', `${service}-migrate`)!.spec.template.spec.containers[0];
      const server = find(overlay, 'Deployment', service)!.spec.template.spec.containers[0];
      expect(job.env).toContainEqual({ name: 'MIGRATE_ONLY', value: 'true' });
      expect(job.image).toBe(server.image);
      expect(job.envFrom).toEqual(server.envFrom);
    }
  });

  it('declares a KafkaTopic and its .dlq for every topic of the contracts and of the topic table', () => {
    const topics = new Set(of(overlay).filter((o) => o.kind === 'KafkaTopic').map((o) => o.spec.topicName as string));
    const wanted = new Set([
      ...allIntegrationEvents.map((e) => e.topic),
      ...generator.SERVICES.flatMap((s) => s.topics.map((t) => t.topic)),
    ]);
    const missing = [...wanted].flatMap((topic) => [topic, `${topic}.dlq`]).filter((topic) => !topics.has(topic));
    // A new contract topic needs its KafkaTopic: add it to SERVICES in k8s/generate-base.cjs and run it.
    expect({ missingKafkaTopics: missing }).toEqual({ missingKafkaTopics: [] });
  });

  it('keeps every HPA at or below the partition count of the topics its service publishes', () => {
    for (const s of generator.SERVICES) {
      const partitions = s.topics.map((t) =>
        of(overlay).find((o) => o.kind === 'KafkaTopic' && o.spec.topicName === t.topic)!.spec.partitions as number,
      );
      expect(find(overlay, 'HorizontalPodAutoscaler', s.name)!.spec.maxReplicas).toBeLessThanOrEqual(Math.max(...partitions));
    }
  });
});

it('prod reaches the managed PostgreSQL and Redis by CIDR, dev the in-cluster ones by label', () => {
  for (const service of SERVICES) {
    const prod = find('prod', 'NetworkPolicy', service)!.spec.egress;
    const dev = find('dev', 'NetworkPolicy', service)!.spec.egress;
    const rule = (egress: any[], port: number) => egress.find((r) => r.ports.some((p: { port: number }) => p.port === port));
    expect(rule(prod, 5432).to).toEqual([{ ipBlock: { cidr: expect.any(String) } }]);
    expect(rule(prod, 6379).to).toEqual([{ ipBlock: { cidr: expect.any(String) } }]);
    expect(rule(dev, 5432).to[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'postgresql' });
  }
});

it('prod runs three replicas or more of each service, dev one', () => {
  for (const service of SERVICES) {
    expect(find('prod', 'HorizontalPodAutoscaler', service)!.spec.minReplicas).toBeGreaterThanOrEqual(3);
    expect(find('dev', 'HorizontalPodAutoscaler', service)!.spec.minReplicas).toBe(1);
  }
});

it('the committed base files are what k8s/generate-base.cjs writes', () => {
  const stale = [...generator.render()].filter(([file, text]) => {
    const full = path.join(repoRoot, file);
    return !existsSync(full) || readFileSync(full, 'utf8') !== text;
  });
  expect(stale.map(([file]) => file)).toEqual([]);
});

it('has manifests for every service that exists under apps/', () => {
  const apps = readdirSync(path.join(repoRoot, 'apps')).filter((name) => existsSync(path.join(repoRoot, 'apps', name, 'src', 'main.ts')));
  for (const app of apps) expect(SERVICES).toContain(app);
  expect(generator.SERVICES.map((s) => s.name).sort()).toEqual(SERVICES);
});
