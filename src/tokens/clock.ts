/** Where every time comes from (one clock: no local-time mix-ups, SPEC §7); injected into the flows. */
export interface Clock {
  /** Milliseconds since the epoch, UTC. */
  now(): number;
}
