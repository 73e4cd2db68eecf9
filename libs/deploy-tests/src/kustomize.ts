import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const overlaysDir = path.join(repoRoot, 'k8s', 'overlays');

/** A rendered Kubernetes object, as plain data. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

const INSTALL_HINT =
  'kubectl 1.24 or newer (kustomize v4.5+) is needed to render k8s/overlays. Install it from the ' +
  "Kubernetes apt repository or your cloud SDK (`kubectl`); Debian 12's `kubernetes-client` is 1.20 " +
  'with kustomize v2.0.3, which rejects the `labels:` field (json: unknown field "labels"). ' +
  'Set KUBECTL=/path/to/kubectl to use another binary.';

export const kubectlBinary = (): string => process.env.KUBECTL ?? 'kubectl';

/** kustomize's version inside kubectl (`v5.5.0`); throws with what to install when unusable. */
export function kustomizeVersion(): string {
  let out: string;
  try {
    out = execFileSync(kubectlBinary(), ['version', '--client', '--output=json'], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`${kubectlBinary()} did not run (${(error as Error).message.split('\n')[0]}). ${INSTALL_HINT}`);
  }
  const version = (JSON.parse(out) as { kustomizeVersion?: string }).kustomizeVersion;
  const major = Number(/^v(\d+)/.exec(version ?? '')?.[1] ?? 0);
  const minor = Number(/^v\d+\.(\d+)/.exec(version ?? '')?.[1] ?? 0);
  if (major < 4 || (major === 4 && minor < 5)) {
    throw new Error(`${kubectlBinary()} has kustomize ${version ?? 'unknown'}. ${INSTALL_HINT}`);
  }
  return version!;
}

/** `kubectl kustomize <dir>` parsed into objects. */
export function renderKustomization(dir: string): K8sObject[] {
  const out = execFileSync(kubectlBinary(), ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseManifests(out);
}

export function parseManifests(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML: ${doc.errors[0]!.message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

export const objectName = (o: K8sObject): string =>
  `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
