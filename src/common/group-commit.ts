/**
 * Group commit: each caller submits a job and waits for its own result, but jobs that arrive
 * while a flush is in flight go together into the next one. Under load many callers then share
 * one transaction, its statements and its commit, instead of paying one each.
 *
 * One flush runs at a time. When a flush of several jobs fails, each of them is flushed again
 * alone, so one bad job fails only its own caller.
 */
export class GroupCommit<Job, Result> {
  private pending: { job: Job; resolve: (result: Result) => void; reject: (error: unknown) => void }[] = [];
  private flushing = false;

  /**
   * @param flush stores the jobs together, and returns each one's result in their order.
   * @param take how many of the waiting jobs go into the next flush, from the front (all by
   *   default); jobs it skips wait for a later one, in their order.
   */
  constructor(
    private readonly flush: (jobs: Job[]) => Promise<Result[]>,
    private readonly take: (waiting: readonly Job[]) => Job[] = (waiting) => [...waiting],
  ) {}

  submit(job: Job): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.pending.push({ job, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      const chosen = new Set(this.take(this.pending.map((entry) => entry.job)));
      // A take that chose nothing would wait forever: the first job goes alone.
      const group = chosen.size > 0 ? this.pending.filter((entry) => chosen.has(entry.job)) : this.pending.slice(0, 1);
      const taken = new Set(group);
      this.pending = this.pending.filter((entry) => !taken.has(entry));
      try {
        const results = await this.flush(group.map((entry) => entry.job));
        group.forEach((entry, index) => entry.resolve(results[index]!));
      } catch (error) {
        if (group.length === 1) {
          group[0]!.reject(error);
          continue;
        }
        for (const entry of group) {
          try {
            entry.resolve((await this.flush([entry.job]))[0]!);
          } catch (alone) {
            entry.reject(alone);
          }
        }
      }
    }
    this.flushing = false;
  }
}
