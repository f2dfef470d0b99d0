/**
 * Calls `work` for every item, at most `concurrency` at once, each as soon as a slot is free
 * (not in waves). After a failure no further item starts; it rejects with that failure once
 * the calls under way have settled, so nothing is left running behind the caller's back.
 */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { reason: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (reason) {
        failure ??= { reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure) throw failure.reason;
}
