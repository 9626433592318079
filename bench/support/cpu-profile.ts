import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) this summary reads. */
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  /** µs since the previous sample (the first: since startTime). */
  timeDeltas: number[];
}

export interface FrameShare {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  windowMs: number;
  /** Time where the function itself was on top of the stack. */
  self: FrameShare[];
  /** Time where the function was anywhere on the stack (counted once per sample). */
  inclusive: FrameShare[];
  /** Self time grouped by npm package / area of the repo / Node internals. */
  byArea: FrameShare[];
  /** Time with any frame matching each focus pattern on the stack. */
  focus: FrameShare[];
}

/**
 * Summarises the last `windowMs` of a `.cpuprofile` (the measured load, not boot or warm-up): top
 * frames by self and inclusive time, self time per package, and the time under each `focus` frame.
 */
export function summariseCpuProfile(
  file: string,
  options: { windowMs: number; top: number; focus: Record<string, RegExp> },
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));

  // Sample timestamps, then hits per node inside the window.
  const from = profile.endTime - options.windowMs * 1000;
  const hitsOf = new Map<number, number>();
  let t = profile.startTime;
  let inWindow = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    if (t < from) continue;
    hitsOf.set(profile.samples[i], (hitsOf.get(profile.samples[i]) ?? 0) + 1);
    inWindow++;
  }
  const windowMs = (profile.endTime - Math.max(from, profile.startTime)) / 1000;
  const msPerHit = inWindow > 0 ? windowMs / inWindow : 0;

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const byArea = new Map<string, number>();
  const focus = new Map<string, number>();
  const add = (m: Map<string, number>, key: string, hits: number) => m.set(key, (m.get(key) ?? 0) + hits);
  for (const [id, hits] of hitsOf) {
    const node = byId.get(id);
    if (!node) continue;
    add(self, frameName(node.callFrame), hits);
    add(byArea, areaOf(node.callFrame), hits);
    const names = new Set<string>();
    const focused = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame) break;
      names.add(frameName(frame));
      const text = `${frame.functionName} ${frame.url}`;
      for (const [label, pattern] of Object.entries(options.focus))
        if (pattern.test(text)) focused.add(label);
    }
    for (const name of names) add(inclusive, name, hits);
    for (const label of focused) add(focus, label, hits);
  }
  const shares = (m: Map<string, number>, limit: number): FrameShare[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, hits]) => ({ name, ms: hits * msPerHit, percent: (100 * hits) / inWindow }));
  return {
    windowMs,
    self: shares(self, options.top),
    inclusive: shares(inclusive, options.top),
    byArea: shares(byArea, options.top),
    focus: shares(focus, Infinity),
  };
}

function frameName(frame: CallFrame): string {
  const fn = frame.functionName || '(anonymous)';
  if (!frame.url) return fn;
  const where = frame.url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '');
  const short = where.includes('/dist/') ? where.slice(where.indexOf('/dist/') + 1) : where;
  return `${fn} ${short}:${frame.lineNumber + 1}`;
}

/** `(garbage collector)`, `node:internal`, an npm package, or a folder of this repo's build. */
function areaOf(frame: CallFrame): string {
  const { url } = frame;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const repo = /\/dist\/apps\/api\/((?:apps|libs)\/[^/]+)/.exec(url);
  return repo ? repo[1] : url;
}
