// Prints the top functions of a V8 .cpuprofile by self and by total time: `node --import tsx bench/tools/cpuprofile-top.ts FILE [N]`.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function label(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  // tsx-compiled files report line 1 for everything, so the file alone is shown.
  const file = url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url;
  return `${functionName || '(anonymous)'}${file ? ` ${file}` : ''}`;
}

function print(title: string, times: Map<string, number>, total: number, count: number): void {
  process.stdout.write(`\n${title}\n`);
  const top = [...times.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [key, us] of top) process.stdout.write(`${(us / 1e3).toFixed(0).padStart(8)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`);
}

function main(): void {
  const [file, count] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpuprofile-top.ts FILE [N]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    // A sample's delta is the time until the next one, so it is charged to the stack that was sampled.
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    total += delta;
    self.set(label(node), (self.get(label(node)) ?? 0) + delta);
    const seen = new Set<string>();
    // Stacks are at most a few hundred frames deep; the bound guards against a malformed profile with a cycle.
    for (let at: number | undefined = id, depth = 0; at !== undefined && depth < 10_000; at = parent.get(at), depth++) {
      const frame = byId.get(at);
      if (!frame) break;
      const key = label(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + delta);
    }
  });
  const n = Number(count ?? 25);
  process.stdout.write(`total sampled: ${(total / 1e3).toFixed(0)} ms\n`);
  print('by self time', self, total, n);
  print('by total time (self + callees)', inclusive, total, n);
}

main();
