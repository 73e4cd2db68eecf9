import { createHash } from 'node:crypto';

/** A UUID (version 5 layout) derived from `name`: the same request key always names the same determination. */
export function deterministicUuid(name: string): string {
  const bytes = createHash('sha1').update(`carebridge:billing-eligibility:${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
