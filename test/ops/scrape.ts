export interface Scrape {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  /** The sample `series` (name with its labels as printed, e.g. `x_total{role="a"}`); undefined if absent. */
  value(series: string): number | undefined;
}

/** GET /metrics from the ops listener, as Prometheus would. */
export async function scrape(port: number): Promise<Scrape> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await res.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text,
    value: (series) => samples.get(series),
  };
}
