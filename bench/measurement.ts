/** One timed run of one case. Latencies in milliseconds. */
export interface Measurement {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Answers that were not what the case expects (wrk: non-2xx/3xx). */
  readonly nonSuccess: number;
  readonly socketErrors: number;
  /** CPU time per request in microseconds, by side, when measured. */
  readonly cpuUs?: CpuPerRequest;
}

export interface CpuPerRequest {
  /** The forgetpw daemon that answered. */
  readonly daemon?: number;
  /** Apache, all its processes. */
  readonly apache?: number;
  /** The load generator, when it is this process (the FastCGI cases). */
  readonly client?: number;
}
