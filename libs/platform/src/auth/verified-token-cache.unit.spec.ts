import { VerifiedTokenCache } from './verified-token-cache';

describe('VerifiedTokenCache', () => {
  let now = 1_000_000;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('answers a remembered token until it expires, and not from then on', () => {
    const cache = new VerifiedTokenCache<string>(10, clock);
    cache.set('token-a', 'actor-a', now + 60_000);

    now += 59_999;
    expect(cache.get('token-a')).toBe('actor-a');
    now += 1;
    expect(cache.get('token-a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not remember a token that has already expired', () => {
    const cache = new VerifiedTokenCache<string>(10, clock);
    cache.set('token-a', 'actor-a', now);

    expect(cache.get('token-a')).toBeUndefined();
  });

  it('keeps at most maxEntries, forgetting the least recently used', () => {
    const cache = new VerifiedTokenCache<string>(2, clock);
    cache.set('a', 'A', now + 60_000);
    cache.set('b', 'B', now + 60_000);
    cache.get('a'); // a is now more recent than b
    cache.set('c', 'C', now + 60_000);

    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
  });

  it('remembers nothing with maxEntries 0', () => {
    const cache = new VerifiedTokenCache<string>(0, clock);
    cache.set('a', 'A', now + 60_000);

    expect(cache.get('a')).toBeUndefined();
  });

  it('refuses a negative or fractional bound', () => {
    expect(() => new VerifiedTokenCache(-1)).toThrow(RangeError);
    expect(() => new VerifiedTokenCache(1.5)).toThrow(RangeError);
  });
});
