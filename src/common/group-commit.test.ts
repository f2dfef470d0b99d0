import { GroupCommit } from './group-commit.js';

/** A flush the test holds open: it records each group it is given, and ends when told to. */
function heldFlush(fail: (job: string) => boolean = () => false) {
  const groups: string[][] = [];
  let release: () => void = () => undefined;
  const flush = async (jobs: string[]) => {
    groups.push(jobs);
    await new Promise<void>((resolve) => (release = resolve));
    const bad = jobs.find(fail);
    if (bad) throw new Error(`refused ${bad}`);
    return jobs.map((job) => job.toUpperCase());
  };
  return { groups, flush, release: () => release() };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes the jobs that arrive during a flush together in the next one, each caller getting its own result', async () => {
    const held = heldFlush();
    const writer = new GroupCommit(held.flush);
    const results = [writer.submit('a'), writer.submit('b'), writer.submit('c')];
    await settle();
    expect(held.groups).toEqual([['a']]);
    held.release();
    await settle();
    expect(held.groups).toEqual([['a'], ['b', 'c']]);
    held.release();
    await expect(Promise.all(results)).resolves.toEqual(['A', 'B', 'C']);
  });

  it('flushes each job of a failed group alone, so only the bad one fails', async () => {
    const held = heldFlush((job) => job === 'bad');
    const writer = new GroupCommit(held.flush);
    const results = ['first', 'good', 'bad', 'also-good'].map((job) => writer.submit(job).catch((error: Error) => error.message));
    for (let flushes = 0; flushes < 5; flushes++) {
      await settle();
      held.release();
    }
    await expect(Promise.all(results)).resolves.toEqual(['FIRST', 'GOOD', 'refused bad', 'ALSO-GOOD']);
    expect(held.groups).toEqual([['first'], ['good', 'bad', 'also-good'], ['good'], ['bad'], ['also-good']]);
  });

  it('leaves the jobs the group does not take for a later flush, in their order', async () => {
    const held = heldFlush();
    // Takes waiting jobs while their first letters differ.
    const writer = new GroupCommit(held.flush, (waiting) => waiting.filter((job, index) => waiting.findIndex((other) => other[0] === job[0]) === index));
    const results = ['x', 'a1', 'b1', 'a2', 'c1', 'a3'].map((job) => writer.submit(job));
    for (let flushes = 0; flushes < 4; flushes++) {
      await settle();
      held.release();
    }
    await Promise.all(results);
    expect(held.groups).toEqual([['x'], ['a1', 'b1', 'c1'], ['a2'], ['a3']]);
  });
});
