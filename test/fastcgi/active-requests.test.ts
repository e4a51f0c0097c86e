import { describe, expect, it } from 'vitest';
import { ActiveRequest } from '../../src/fastcgi/active-request.js';
import { ActiveRequests } from '../../src/fastcgi/active-requests.js';

const request = (id: number): ActiveRequest => new ActiveRequest(id, 'authorizer', true, 0);
const ids = (requests: ActiveRequests): number[] =>
  requests
    .list()
    .map((r) => r.id)
    .sort((a, b) => a - b);

describe('ActiveRequests', () => {
  it('finds one request, and several at once, by id until each is deleted', () => {
    const requests = new ActiveRequests();
    const [one, two, three] = [request(1), request(2), request(3)];
    requests.add(one);
    expect(requests.get(1)).toBe(one);
    expect(requests.get(2)).toBeUndefined();
    requests.add(two);
    requests.add(three);
    expect(requests.size).toBe(3);
    expect([requests.get(1), requests.get(2), requests.get(3)]).toEqual([one, two, three]);
    requests.delete(1);
    expect(requests.get(1)).toBeUndefined();
    expect(ids(requests)).toEqual([2, 3]);
    // The id freed is taken again while the others are still active.
    const again = request(1);
    requests.add(again);
    expect(requests.get(1)).toBe(again);
    expect(requests.size).toBe(3);
    requests.delete(3);
    requests.delete(3);
    expect(requests.size).toBe(2);
    expect(ids(requests)).toEqual([1, 2]);
    requests.clear();
    expect(requests.size).toBe(0);
    expect(requests.list()).toEqual([]);
    expect(requests.get(2)).toBeUndefined();
  });

  it('sums the bytes every request holds of a stream not yet complete', () => {
    const requests = new ActiveRequests();
    const [one, two] = [request(1), request(2)];
    one.append(Buffer.alloc(10));
    two.append(Buffer.alloc(32));
    requests.add(one);
    expect(requests.bytes()).toBe(10);
    requests.add(two);
    expect(requests.bytes()).toBe(42);
    requests.delete(1);
    expect(requests.bytes()).toBe(32);
  });
});
