/**
 * Where a daemon's CPU time went, from a V8 `.cpuprofile` (`node --cpu-prof`): self time
 * grouped by area (our code by folder, each dependency, node's internals by module) and
 * the heaviest single functions.
 */
import { readFile } from 'node:fs/promises';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

export interface ProfileShare {
  readonly name: string;
  /** Share of the busy (non-idle) samples, percent. */
  readonly percent: number;
}

export interface ProfileSummary {
  /** Share of all samples the process was busy (not idle), percent. */
  readonly busyPercent: number;
  /** Each busy sample charged to the innermost frame that names a stage of the request. */
  readonly stages: readonly ProfileShare[];
  readonly areas: readonly ProfileShare[];
  readonly functions: readonly ProfileShare[];
}

/** Stages of one check, tried on each frame from the innermost outwards. */
const STAGES: ReadonlyArray<readonly [string, (frame: CallFrame) => boolean]> = [
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['socket write (kernel: loopback TCP to Apache)', (f) => f.url === '' && /^write/.test(f.functionName)],
  ['socket close/shutdown', (f) => f.url === '' && /^(close|shutdown)$/.test(f.functionName)],
  ['knex query building and dispatch', (f) => /node_modules\/(knex|tarn)\//.test(f.url)],
  ['hot reads (src/store/hot-reads)', (f) => /src\/store\/hot-reads/.test(f.url)],
  [
    'database driver (better-sqlite3, pg)',
    (f) => /node_modules\/(better-sqlite3|pg|pg-protocol)\//.test(f.url),
  ],
  ['session cache', (f) => /src\/app\/cached-store/.test(f.url)],
  ['FastCGI records (src/fastcgi)', (f) => /src\/fastcgi\//.test(f.url)],
  ['CGI params to request (src/http)', (f) => /src\/http\//.test(f.url)],
  ['access-list walk, host/address normalisation (src/policy)', (f) => /src\/policy\//.test(f.url)],
  ['token hash (src/tokens)', (f) => /src\/tokens\//.test(f.url)],
  ['flows, pages, wiring', (f) => /src\/(flows|app|templates)\//.test(f.url)],
  ['accepting connections (node:net)', (f) => f.url === 'node:net'],
];

export async function summarizeProfile(file: string, top = 15): Promise<ProfileSummary> {
  const profile = await unbundled(JSON.parse(await readFile(file, 'utf8')) as Profile);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stages = new Map<string, number>();
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, count] of hits) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined || frame.functionName === '(idle)') continue;
    busy += count;
    const stage = stageOf(id, byId, parentOf);
    stages.set(stage, (stages.get(stage) ?? 0) + count);
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + count);
    const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${String(frame.lineNumber + 1)}`;
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    functions.set(name, (functions.get(name) ?? 0) + count);
  }
  const shares = (map: Map<string, number>, limit: number): ProfileShare[] =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, count]) => ({ name, percent: (100 * count) / Math.max(1, busy) }));
  return {
    busyPercent: (100 * busy) / Math.max(1, profile.samples.length),
    stages: shares(stages, STAGES.length + 1),
    areas: shares(areas, top),
    functions: shares(functions, top),
  };
}

/**
 * The daemon runs from the bundle (dist/src/chunks/*.js): each frame there is moved to
 * the file and line it came from (src/..., node_modules/...) through the bundle's
 * source maps, so that the stages and areas below can name them.
 */
async function unbundled(profile: Profile): Promise<Profile> {
  const maps = new Map<string, SourceMap | undefined>();
  for (const node of profile.nodes) {
    const { url } = node.callFrame;
    if (!url.startsWith('file:') || !url.includes('/dist/')) continue;
    if (!maps.has(url)) maps.set(url, await sourceMapOf(url));
  }
  return {
    ...profile,
    nodes: profile.nodes.map((node) => {
      const map = maps.get(node.callFrame.url);
      const entry = map?.findEntry(node.callFrame.lineNumber, node.callFrame.columnNumber);
      if (entry === undefined || !('originalSource' in entry)) return node;
      return {
        ...node,
        callFrame: {
          ...node.callFrame,
          url: new URL(entry.originalSource, node.callFrame.url).href,
          lineNumber: entry.originalLine,
          columnNumber: entry.originalColumn,
        },
      };
    }),
  };
}

async function sourceMapOf(url: string): Promise<SourceMap | undefined> {
  try {
    const payload = JSON.parse(await readFile(`${fileURLToPath(url)}.map`, 'utf8')) as SourceMapPayload;
    return new SourceMap(payload);
  } catch {
    return undefined;
  }
}

function stageOf(id: number, byId: Map<number, ProfileNode>, parentOf: Map<number, number>): string {
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame === undefined) break;
    const stage = STAGES.find(([, matches]) => matches(frame));
    if (stage !== undefined) return stage[0];
  }
  return 'other (node internals, event loop)';
}

function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native (V8 builtins, C++)';
  if (url.startsWith('node:')) return `node ${url.slice('node:'.length).split('/').slice(0, 2).join('/')}`;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency !== null) return `dependency ${dependency[1] ?? ''}`;
  const ours = /\/dist\/src\/([^/]+)\//.exec(url) ?? /\/src\/([^/]+)\//.exec(url);
  if (ours !== null) return `forgetpw src/${ours[1] ?? ''}`;
  return shortUrl(url);
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\/.*?\/node_modules\//, '')
    .replace(/^file:\/\/.*?\/dist\//, '')
    .replace(/^file:\/\/.*?\/src\//, 'src/')
    .replace(/^node:/, '');
}
