import type { ActiveRequest } from './active-request.js';

/**
 * A connection's active requests by id. Apache sends one request per connection and never
 * multiplexes, so the first is kept in a field and a `Map` is made only for a second one at once:
 * a Map per connection, filled and emptied once, was about 350 bytes of garbage per check (issue 18).
 */
export class ActiveRequests {
  #first: ActiveRequest | undefined;
  #rest: Map<number, ActiveRequest> | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(id: number): ActiveRequest | undefined {
    return this.#first?.id === id ? this.#first : this.#rest?.get(id);
  }

  /** The caller has checked that no active request has its id. */
  add(request: ActiveRequest): void {
    if (this.#first === undefined) this.#first = request;
    else (this.#rest ??= new Map()).set(request.id, request);
    this.#size++;
  }

  delete(id: number): void {
    if (this.#first?.id === id) this.#first = undefined;
    else if (this.#rest?.delete(id) !== true) return;
    this.#size--;
  }

  clear(): void {
    this.#first = undefined;
    this.#rest?.clear();
    this.#size = 0;
  }

  /** Bytes received of streams not yet complete, over every request (read on every socket chunk). */
  bytes(): number {
    let bytes = this.#first?.bytes ?? 0;
    if (this.#rest !== undefined) for (const request of this.#rest.values()) bytes += request.bytes;
    return bytes;
  }

  /** Every request, in no particular order: a copy, so the caller may delete while it walks it. */
  list(): ActiveRequest[] {
    const all = this.#rest === undefined ? [] : [...this.#rest.values()];
    if (this.#first !== undefined) all.push(this.#first);
    return all;
  }
}
