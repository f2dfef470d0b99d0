import { createRandom, forkRandom, hashString } from './random.js';

describe('Random', () => {
  it('gives the same sequence for the same seed and keys, and another for other keys', () => {
    const draw = (rng: ReturnType<typeof createRandom>) => Array.from({ length: 20 }, () => rng.nextUint32());
    expect(draw(createRandom(42))).toEqual(draw(createRandom(42)));
    expect(draw(forkRandom(42, 'enterprise', 3))).toEqual(draw(forkRandom(42, 'enterprise', 3)));
    expect(draw(forkRandom(42, 'enterprise', 3))).not.toEqual(draw(forkRandom(42, 'enterprise', 4)));
    expect(draw(createRandom(42))).not.toEqual(draw(createRandom(43)));
    // Keys are separated, so ('a', 'bc') and ('ab', 'c') are different streams.
    expect(draw(forkRandom(1, 'a', 'bc'))).not.toEqual(draw(forkRandom(1, 'ab', 'c')));
    expect(hashString('x')).toEqual(hashString('x'));
  });

  it('draws within bounds', () => {
    const rng = createRandom(7);
    const outside: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const f = rng.next();
      const n = rng.int(-3, 5);
      const x = rng.float(2, 4);
      if (!(f >= 0 && f < 1)) outside.push(f);
      if (!(Number.isInteger(n) && n >= -3 && n <= 5)) outside.push(n);
      if (!(x >= 2 && x < 4)) outside.push(x);
    }
    expect(outside).toEqual([]);
    expect(() => rng.int(3, 2)).toThrow(RangeError);
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('reaches every value of a small range about equally often', () => {
    const rng = createRandom(11);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[rng.int(0, 5)]!++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('draws normals with the requested mean and spread', () => {
    const rng = createRandom(3);
    const values = Array.from({ length: 50_000 }, () => rng.normal(10, 2));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(mean).toBeCloseTo(10, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(2, 1);
  });

  it('picks by weight, never a zero weight', () => {
    const rng = createRandom(5);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 30_000; i++) counts[rng.weighted(['a', 'b', 'c'] as const, [1, 0, 3])]++;
    expect(counts.b).toBe(0);
    expect(counts.c / counts.a).toBeGreaterThan(2.7);
    expect(counts.c / counts.a).toBeLessThan(3.3);
    expect(() => rng.weighted(['a'], [0])).toThrow(RangeError);
  });

  it('shuffles into a permutation, and bernoulli and poisson have the right means', () => {
    const rng = createRandom(9);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = rng.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    let hits = 0;
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      if (rng.bernoulli(0.3)) hits++;
      sum += rng.poisson(3.5);
    }
    expect(hits / 20_000).toBeCloseTo(0.3, 1);
    expect(sum / 20_000).toBeCloseTo(3.5, 1);
  });
});
