/**
 * Where a V8 CPU profile (`--cpu-prof`) spent its time, by package: self time of every sampled
 * function, grouped by the npm package, Node built-in or repository folder its script lives in.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}
interface CpuProfile {
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export function groupOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName || 'anonymous'}`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first, second] = url.slice(modules + 'node_modules/'.length).split('/');
    return first!.startsWith('@') ? `${first}/${second}` : first!;
  }
  if (url.startsWith('node:')) {
    const name = url.slice('node:'.length).replace(/^internal\//, '');
    return `node:${name.split('/')[0]}`;
  }
  const repo = /\/(apps|libs|tools|bench)\/([^/]+)\//.exec(url);
  return repo ? `${repo[1]}/${repo[2]}` : url;
}

/**
 * Percent of busy sampled time (idle left out) per group, largest first. `window` (microseconds of
 * the monotonic clock, as `process.hrtime.bigint() / 1000n` reads it in any process) keeps only the
 * samples taken under load, leaving start-up (module loading, compilation) out.
 */
export function summariseProfile(file: string, window?: { from: number; to: number }): { group: string; percent: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const time = new Map<string, number>();
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.from || at > window.to)) return;
    const group = groupOf(node.callFrame.url, node.callFrame.functionName);
    if (group === '(idle)') return;
    time.set(group, (time.get(group) ?? 0) + delta);
    total += delta;
  });
  return [...time.entries()]
    .map(([group, micros]) => ({ group, percent: +((100 * micros) / total).toFixed(1) }))
    .sort((a, b) => b.percent - a.percent);
}
