import { JobQueue } from '../src/jobs/queue.js';
import { openTestStore, type TestStore } from './support/store.js';
import { monotonicMs } from '../src/common/clock.js';

/**
 * The job queue as two processes share it: one sends, the other works. Each is a JobQueue of its
 * own on the same store, as in two processes (its own workers, its own listening).
 */
let testStore: TestStore;

beforeAll(async () => {
  testStore = await openTestStore();
});

afterAll(async () => {
  await testStore.dispose();
});

describe('the job queue across processes', () => {
  it("wakes another process's worker when a job is sent, without waiting for its next poll", async () => {
    const done: { at: number; data: object }[] = [];
    // A worker that would otherwise look for work only every 30 s.
    const worker = new JobQueue(testStore.store, { pollingIntervalSeconds: 30 });
    const sender = new JobQueue(testStore.store);
    for (const queue of [worker, sender]) {
      queue.define<{ n: number }>('echo', { policy: 'standard', retryLimit: 0, leaseSeconds: 60, handler: async (data) => void done.push({ at: monotonicMs(), data }) });
    }
    await sender.start({ work: false });
    await worker.start({ work: true });
    try {
      // Past the worker's first look at the queue, which it makes as it starts.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const sent = monotonicMs();
      await sender.send('echo', { n: 1 });
      for (let waited = 0; done.length === 0; waited += 50) {
        expect(waited).toBeLessThan(5000);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(done[0]!.data).toEqual({ n: 1 });
      expect(done[0]!.at - sent).toBeLessThan(5000);
    } finally {
      await worker.stop();
      await sender.stop();
    }
  }, 30_000);
});
