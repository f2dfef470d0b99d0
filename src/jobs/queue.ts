import { CompiledQuery, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import { metrics } from '../common/metrics.js';
import type { Store } from '../store/database.js';
import type { Database } from '../store/schema.js';

/**
 * The hub's job queue: pg-boss in the store's own database, in its `pgboss` schema, on the
 * PostgreSQL server and on the embedded store alike, so the same handlers run the same way on
 * both. Jobs are rows: they outlive the process that sent them; one whose worker dies stays
 * leased until its lease runs out, then is retried (with backoff) by whichever worker polls next.
 */
export interface TaskDefinition<Data extends object> {
  /** `singleton`: one job of the task active at a time, the rest queued behind it. */
  policy: 'standard' | 'singleton';
  /** Attempts after the first. */
  retryLimit: number;
  /** How long a worker may hold a job; past it the job counts as failed and is retried. */
  leaseSeconds: number;
  /** Jobs of the task this process works at once. @default 1 */
  workers?: number;
  handler: (data: Data, job: { id: string }) => Promise<object | void>;
}

export interface JobQueueOptions {
  /** How often an idle worker asks for work. */
  pollingIntervalSeconds?: number;
  /** How often expired leases are reclaimed and finished jobs archived. */
  maintenanceIntervalSeconds?: number;
  onError?: (error: unknown) => void;
}

export interface StartOptions {
  /** Take jobs in this process (a worker), or only send them (an API process). */
  work: boolean;
  /** Cron schedules (minute precision, in `tz`) that send a task's job, held in the queue's tables. */
  schedules?: { task: string; cron: string; tz: string; data?: object }[];
}

/** Where processes announce the jobs they send. */
const JOBS_CHANNEL = 'creditgraph_jobs';

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export class JobQueue {
  private readonly boss: PgBoss;
  private readonly tasks = new Map<string, TaskDefinition<object>>();
  /** This process's workers by task: woken when it sends their task a job, rather than at their next poll. */
  private readonly workers = new Map<string, string[]>();
  private started: Promise<void> | undefined;
  private stopped = false;
  private unwatch: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: JobQueueOptions = {},
  ) {
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => store.runSql(text, values) as Promise<{ rows: never[] }> },
      schema: 'pgboss',
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
      // Finished jobs are kept a week for inspection, then deleted.
      deleteAfterDays: 7,
    });
    this.boss.on('error', (error) => options.onError?.(error));
  }

  define<Data extends object>(task: string, definition: TaskDefinition<Data>): void {
    if (this.started) throw new Error(`task ${task} defined after the queue started`);
    this.tasks.set(task, definition as TaskDefinition<object>);
  }

  /** Installs or migrates the queue's schema, creates the tasks' queues, and (for a worker) starts taking jobs. */
  start(options: StartOptions): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start();
      this.unwatch = metrics.watchQueue(() => this.depths());
      for (const [task, definition] of this.tasks) {
        const queue = { name: task, policy: definition.policy, retryLimit: definition.retryLimit, retryBackoff: true, retryDelay: 2, expireInSeconds: definition.leaseSeconds };
        await againOnDeadlock(async () => {
          if (await this.boss.getQueue(task)) await this.boss.updateQueue(task, queue);
          else await this.boss.createQueue(task, queue);
        });
      }
      if (options.work) {
        // Jobs sent by other processes wake this one's workers at once, not at their next poll;
        // after the listening connection was lost, every worker looks.
        this.unlisten = await this.store.listen(
          JOBS_CHANNEL,
          (task) => this.wake(task),
          () => [...this.tasks.keys()].forEach((task) => this.wake(task)),
        );
        for (const [task, definition] of this.tasks) {
          for (let i = 0; i < (definition.workers ?? 1); i++) {
            // A worker that just finished a job asks for the next at once, not after its polling interval.
            const worker = await this.boss.work<object>(task, { pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 1 }, async ([job]) => {
              try {
                return await definition.handler(job!.data, job!);
              } finally {
                this.wake(task);
              }
            });
            this.workers.set(task, [...(this.workers.get(task) ?? []), worker]);
          }
        }
      }
      for (const schedule of options.schedules ?? []) await this.boss.schedule(schedule.task, schedule.cron, schedule.data ?? {}, { tz: schedule.tz });
    })();
    return this.started;
  }

  /** Sends a job, in `trx` when given so it exists only if that transaction commits. */
  async send(task: string, data: object, trx?: Transaction<Database>): Promise<string> {
    this.known(task);
    const id = await this.boss.send(task, data, trx ? { db: transactionDb(trx) } : {});
    if (id === null) throw new Error(`the queue refused a ${task} job`);
    await this.announce(task, trx);
    return id;
  }

  /** Sends many jobs of one task at once, in `trx` when given. */
  async insert(task: string, jobs: { id: string; data: object }[], trx?: Transaction<Database>): Promise<void> {
    this.known(task);
    if (jobs.length === 0) return;
    await this.boss.insert(
      jobs.map((job) => ({ name: task, ...job })),
      trx ? { db: transactionDb(trx) } : {},
    );
    await this.announce(task, trx);
  }

  /**
   * Tells every process's workers of the task (NOTIFY, delivered once `trx` commits, if any)
   * and, outside a transaction, this process's at once.
   */
  private async announce(task: string, trx: Transaction<Database> | undefined): Promise<void> {
    if (trx) {
      await trx.executeQuery(CompiledQuery.raw('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, task]));
      return;
    }
    await this.store.runSql('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, task]);
    this.wake(task);
  }

  /** Whether a job of these tasks whose data has `field` = `value` failed for good (its retries spent). */
  async failed(tasks: readonly string[], field: string, value: string): Promise<boolean> {
    const { rows } = await this.store.runSql(`SELECT 1 FROM pgboss.job WHERE name = any($1) AND state = 'failed' AND data->>$2 = $3 LIMIT 1`, [tasks, field, value]);
    return rows.length > 0;
  }

  async state(task: string, id: string): Promise<JobState | undefined> {
    return (await this.boss.getJobById(task, id, { includeArchive: true }))?.state;
  }

  /** Whether the queue has started and its tables answer (readiness): a version read, bounded in time. */
  async reachable(timeoutMs = 2000): Promise<boolean> {
    if (!this.started || this.stopped) return false;
    let timer: NodeJS.Timeout | undefined;
    try {
      await this.started;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the job queue did not answer in time')), timeoutMs);
      });
      await Promise.race([this.store.runSql('SELECT version FROM pgboss.version'), timeout]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Jobs waiting or running, by task (the metrics' queue depth). */
  private async depths(): Promise<Record<string, number>> {
    const tasks = [...this.tasks.keys()];
    const sizes = await Promise.all(tasks.map((task) => this.boss.getQueueSize(task, { before: 'completed' })));
    return Object.fromEntries(tasks.map((task, i) => [task, sizes[i]!]));
  }

  /** Lets running jobs finish (up to `timeoutMs`), then stops; a job cut off is retried once its lease runs out. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.started) return;
    await this.started.catch(() => undefined);
    this.stopped = true;
    this.unwatch?.();
    await this.unlisten?.();
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
  }

  /** Wakes this process's workers of a task now (a task it does not work is ignored). */
  wake(task: string): void {
    for (const worker of this.workers.get(task) ?? []) this.boss.notifyWorker(worker);
  }

  private known(task: string) {
    if (!this.tasks.has(task)) throw new Error(`no task ${task} is defined`);
  }
}

/**
 * Processes started together create the queues together, and two creations (each attaches a
 * partition to the job table) can lock each other: PostgreSQL ends one as a deadlock victim,
 * whose work only needs doing again, after a pause that differs between processes.
 */
async function againOnDeadlock(work: () => Promise<void>, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: unknown }).code !== '40P01' || attempt === attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 250 * attempt));
    }
  }
}

function transactionDb(trx: Transaction<Database>): PgBoss.Db {
  return { executeSql: async (text, values) => trx.executeQuery(CompiledQuery.raw(text, values ?? [])) as Promise<{ rows: never[] }> };
}
