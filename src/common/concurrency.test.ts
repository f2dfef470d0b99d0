import { setTimeout } from 'node:timers/promises';
import { forEachConcurrently } from './concurrency.js';

describe('forEachConcurrently', () => {
  it('works every item, never more than the concurrency at once, starting each as a slot frees', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    // Item 0 holds its slot until the others are done: they go through the second slot meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await forEachConcurrently([0, 1, 2, 3, 4], 2, async (item) => {
      most = Math.max(most, ++running);
      await (item === 0 ? held : Promise.resolve());
      running--;
      done.push(item);
      if (done.length === 4) release();
    });
    expect(most).toBe(2);
    expect(done).toEqual([1, 2, 3, 4, 0]);
  });

  it('starts nothing after a failure and rejects with it once the work under way has ended', async () => {
    const started: number[] = [];
    let ended = 0;
    await expect(
      forEachConcurrently([0, 1, 2, 3, 4, 5], 2, async (item) => {
        started.push(item);
        if (item === 1) throw new Error('item 1 failed');
        await setTimeout(10);
        ended++;
      }),
    ).rejects.toThrow('item 1 failed');
    expect(started).toEqual([0, 1]);
    expect(ended).toBe(1);
  });

  it('does nothing for no items', async () => {
    let calls = 0;
    await forEachConcurrently([], 4, async () => void calls++);
    expect(calls).toBe(0);
  });
});
