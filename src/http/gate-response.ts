/** What the gate answers; the protocol adapter serialises it (CGI headers for FastCGI). */
export interface GateResponse {
  readonly status: number;
  /** Ordered; a name may repeat (Set-Cookie). */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body: Buffer;
}
