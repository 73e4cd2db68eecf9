import { type K8sObject, objectName } from './kustomize';

/** Stable rule names: the spec asserts on them. */
export type PolicyRule =
  | 'probes'
  | 'resource-limits'
  | 'run-as-non-root'
  | 'read-only-root-filesystem'
  | 'no-privilege-escalation'
  | 'drop-all-capabilities'
  | 'seccomp-runtime-default'
  | 'writable-tmp'
  | 'image-tag'
  | 'inline-secret'
  | 'secret-by-reference'
  | 'service-account-token'
  | 'termination-grace-period'
  | 'pod-disruption-budget'
  | 'horizontal-pod-autoscaler'
  | 'network-policy'
  | 'service-monitor-port';

export interface Violation {
  readonly rule: PolicyRule;
  readonly object: string;
  readonly message: string;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
/** Env names that hold credentials: their values must come from a Secret. */
const SECRET_LIKE = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIALS)$|^DATABASE_URL$|^REDIS_URL$/;

/** The objects' violations of the platform's deployment policy; none means it passes. */
export function checkPolicies(objects: readonly K8sObject[]): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: PolicyRule, o: K8sObject, message: string) => violations.push({ rule, object: objectName(o), message });

  for (const o of objects) {
    if (o.kind === 'Secret' && (hasEntries(o.data) || hasEntries(o.stringData))) {
      add('inline-secret', o, 'Secret with inline data: create it outside the manifests (see deploy/README.md) and reference it');
    }
    if (o.kind === 'ServiceAccount' && o.automountServiceAccountToken !== false) {
      add('service-account-token', o, 'automountServiceAccountToken must be false');
    }
    if (o.kind === 'ConfigMap') {
      for (const key of Object.keys(o.data ?? {})) {
        if (SECRET_LIKE.test(key) && key !== 'DATABASE_URL' && key !== 'REDIS_URL') {
          add('secret-by-reference', o, `ConfigMap key ${key} looks like a credential: use a Secret`);
        }
      }
      for (const key of ['DATABASE_URL', 'REDIS_URL']) {
        const value = o.data?.[key];
        if (typeof value === 'string' && /\/\/[^/@]*:[^/@]*@/.test(value)) {
          add('secret-by-reference', o, `${key} has a password in the URL: use PGPASSWORD / REDIS_PASSWORD from a Secret`);
        }
      }
    }
    if (!WORKLOADS.has(o.kind)) continue;
    checkPod(o, add);
    if (o.kind === 'Deployment') checkDeploymentCompanions(o, objects, add);
  }
  checkServiceMonitors(objects, add);
  return violations;
}

type Add = (rule: PolicyRule, o: K8sObject, message: string) => void;

function checkPod(o: K8sObject, add: Add): void {
  const pod = o.spec?.template?.spec ?? {};
  const podSecurity = pod.securityContext ?? {};
  const containers: any[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  if (pod.automountServiceAccountToken !== false) add('service-account-token', o, 'pod automountServiceAccountToken must be false');
  if (LONG_RUNNING.has(o.kind) && !Number.isInteger(pod.terminationGracePeriodSeconds)) {
    add('termination-grace-period', o, 'terminationGracePeriodSeconds must be set (time to drain on SIGTERM)');
  }
  const tmpVolumes = new Set((pod.volumes ?? []).filter((v: any) => v.emptyDir).map((v: any) => v.name));
  for (const c of containers) {
    const where = `container ${c.name}`;
    const isInit = (pod.initContainers ?? []).includes(c);
    if (LONG_RUNNING.has(o.kind) && !isInit && (!c.livenessProbe || !c.readinessProbe)) {
      add('probes', o, `${where} needs a livenessProbe and a readinessProbe`);
    }
    if (!c.resources?.limits?.cpu || !c.resources?.limits?.memory || !c.resources?.requests?.cpu || !c.resources?.requests?.memory) {
      add('resource-limits', o, `${where} needs cpu and memory requests and limits`);
    }
    const sc = c.securityContext ?? {};
    if ((sc.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true || (sc.runAsUser ?? podSecurity.runAsUser) === 0) {
      add('run-as-non-root', o, `${where} must run as non-root (runAsNonRoot: true, runAsUser not 0)`);
    }
    if (sc.readOnlyRootFilesystem !== true) add('read-only-root-filesystem', o, `${where} needs readOnlyRootFilesystem: true`);
    if (sc.allowPrivilegeEscalation !== false || sc.privileged === true) {
      add('no-privilege-escalation', o, `${where} needs allowPrivilegeEscalation: false and no privileged`);
    }
    if (!(sc.capabilities?.drop ?? []).includes('ALL') || (sc.capabilities?.add ?? []).length > 0) {
      add('drop-all-capabilities', o, `${where} must drop ALL capabilities and add none`);
    }
    if ((sc.seccompProfile ?? podSecurity.seccompProfile)?.type !== 'RuntimeDefault') {
      add('seccomp-runtime-default', o, `${where} needs seccompProfile RuntimeDefault`);
    }
    const tmp = (c.volumeMounts ?? []).find((m: any) => m.mountPath === '/tmp');
    if (sc.readOnlyRootFilesystem === true && (!tmp || !tmpVolumes.has(tmp.name))) {
      add('writable-tmp', o, `${where} has a read-only root filesystem and needs an emptyDir at /tmp`);
    }
    checkImage(o, c, add);
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef && (!e.valueFrom.secretKeyRef.name || !e.valueFrom.secretKeyRef.key)) {
        add('secret-by-reference', o, `${where} env ${e.name}: secretKeyRef needs name and key`);
      }
      if (SECRET_LIKE.test(e.name) && e.name !== 'DATABASE_URL' && e.name !== 'REDIS_URL' && !e.valueFrom?.secretKeyRef) {
        add('secret-by-reference', o, `${where} env ${e.name} must come from a Secret by secretKeyRef`);
      }
    }
  }
}

function checkImage(o: K8sObject, c: any, add: Add): void {
  const image: string = c.image ?? '';
  if (image.includes('@sha256:')) return;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
  if (!tag) add('image-tag', o, `container ${c.name}: image ${image || '(none)'} has no tag`);
  else if (tag === 'latest') add('image-tag', o, `container ${c.name}: image ${image} uses :latest`);
}

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  selector !== undefined && Object.entries(selector).every(([k, v]) => labels[k] === v);

const sameNamespace = (a: K8sObject, b: K8sObject) => (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '');

function checkDeploymentCompanions(d: K8sObject, objects: readonly K8sObject[], add: Add): void {
  const podLabels: Record<string, string> = d.spec?.template?.metadata?.labels ?? {};
  const inNs = objects.filter((o) => sameNamespace(o, d));
  if (!inNs.some((o) => o.kind === 'PodDisruptionBudget' && selects(o.spec?.selector?.matchLabels, podLabels))) {
    add('pod-disruption-budget', d, 'no PodDisruptionBudget selects its pods');
  }
  if (
    !inNs.some(
      (o) =>
        o.kind === 'HorizontalPodAutoscaler' &&
        o.spec?.scaleTargetRef?.kind === 'Deployment' &&
        o.spec?.scaleTargetRef?.name === d.metadata.name,
    )
  ) {
    add('horizontal-pod-autoscaler', d, 'no HorizontalPodAutoscaler targets it');
  }
  const policies = inNs.filter(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      Object.keys(o.spec?.podSelector?.matchLabels ?? {}).length > 0 &&
      selects(o.spec.podSelector.matchLabels, podLabels),
  );
  if (policies.length === 0) add('network-policy', d, 'no NetworkPolicy of its own selects its pods');
  else if (!policies.some((p) => (p.spec.policyTypes ?? []).includes('Egress') && (p.spec.policyTypes ?? []).includes('Ingress'))) {
    add('network-policy', d, 'its NetworkPolicy must restrict both Ingress and Egress');
  }
}

function checkServiceMonitors(objects: readonly K8sObject[], add: Add): void {
  for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor')) {
    const services = objects.filter(
      (o) => o.kind === 'Service' && sameNamespace(o, monitor) && selects(monitor.spec?.selector?.matchLabels, o.metadata.labels ?? {}),
    );
    for (const endpoint of monitor.spec?.endpoints ?? []) {
      if (!services.some((s) => (s.spec?.ports ?? []).some((p: any) => p.name === endpoint.port))) {
        add('service-monitor-port', monitor, `no selected Service has a port named ${endpoint.port}`);
      }
    }
  }
}

function hasEntries(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}
