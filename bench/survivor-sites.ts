/**
 * The allocation sites of a sampling heap profile (bench/sample-survivors.ts), heaviest first:
 * each site named by its innermost frames, with the bytes sampled there.
 */
import { readFile } from 'node:fs/promises';

interface SampledNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly SampledNode[];
}

export interface SurvivorSite {
  /** Innermost frame first. */
  readonly frames: string;
  readonly bytes: number;
}

export async function survivorSites(file: string, depth = 3, top = 25): Promise<SurvivorSite[]> {
  const head = (JSON.parse(await readFile(file, 'utf8')) as { head: SampledNode }).head;
  const sites = new Map<string, number>();
  const walk = (node: SampledNode, stack: readonly string[]): void => {
    const { functionName, url, lineNumber } = node.callFrame;
    const here = [...stack, `${functionName || '(anonymous)'} ${url.replace(/^.*\//, '')}:${lineNumber + 1}`];
    if (node.selfSize > 0) {
      const frames = here.slice(-depth).reverse().join(' < ');
      sites.set(frames, (sites.get(frames) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(head, []);
  return [...sites]
    .map(([frames, bytes]) => ({ frames, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}
