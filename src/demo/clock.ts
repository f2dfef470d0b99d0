import type { Clock } from '../common/clock.js';
import { recordAudit, type Actor } from '../audit/audit.js';
import { formatMonth, parseMonth } from '../common/calendar.js';
import { InputError, InvalidStateError } from '../common/errors.js';
import type { Config } from '../config/config.js';
import type { Db } from '../store/database.js';
import type { DemoClockTable } from '../store/schema.js';
import type { Selectable } from 'kysely';

/** How far past DEMO_CLOCK the demo's story is written: what `simulate` can reach. */
export const DEMO_STORY_MONTHS = 12;
/** How long before DEMO_CLOCK the bank's demo book starts: its older loans were booked then. */
export const DEMO_PREHISTORY_MONTHS = 12;

export interface DemoClockState {
  /** The month the story calls today, `YYYY-MM-01` (DEMO_CLOCK). */
  startsOn: string;
  /** Months from DEMO_CLOCK: negative while the prehistory is played. */
  monthsAdvanced: number;
  /** Whether the demo's book has been prepared; until then only the preparation moves the clock. */
  prepared: boolean;
  /** The instant the upstreams serve the story as of: the first of a month. */
  upstreamsAsOf: string;
  /** The last instant the story is written to. */
  storyEndsAt: string;
}

type Row = Selectable<DemoClockTable>;

/**
 * Time in the demo. The upstream sandboxes serve the story as of the first of a month; the
 * hub's today runs in real time from that instant and stops at the month's end, so it never
 * leaves the month the upstreams stand at (a month's facts are complete once it is over), and
 * it never goes back, even across a restart. Kept in the store, so the hub and the CLI share it;
 * everything the hub dates (a fact observed, a sync run, a loan booked, an alert raised) is on
 * this clock, while audit lines keep the real time they were written at.
 */
export class DemoClock {
  private constructor(
    private readonly db: Db,
    private row: Row,
    private readonly real: Clock,
  ) {}

  /**
   * The store's demo clock, or undefined when the store has none and `create` is not set; the
   * first time, at the start of the prehistory. A store made for another story is refused.
   */
  static async open(db: Db, demo: Pick<Config['demo'], 'clock' | 'seed' | 'enterprises'>, { create, real }: { create: boolean; real: Clock }): Promise<DemoClock | undefined> {
    const start = parseMonth(demo.clock);
    if (create) {
      const upstreamsAsOf = instantOfMonth(start - DEMO_PREHISTORY_MONTHS);
      await db
        .insertInto('demoClock')
        .values({ startsOn: demo.clock, seed: demo.seed, enterprises: demo.enterprises, monthsAdvanced: -DEMO_PREHISTORY_MONTHS, todayAnchor: upstreamsAsOf, anchoredAt: real() })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
    }
    const row = await db.selectFrom('demoClock').selectAll().executeTakeFirst();
    if (!row) return undefined;
    const made = { DEMO_CLOCK: row.startsOn, DEMO_SEED: String(row.seed), DEMO_ENTERPRISES: String(row.enterprises) };
    const asked = { DEMO_CLOCK: demo.clock, DEMO_SEED: String(demo.seed), DEMO_ENTERPRISES: String(demo.enterprises) };
    const differ = (Object.keys(made) as (keyof typeof made)[]).filter((key) => made[key] !== asked[key]);
    if (differ.length > 0) {
      throw new InvalidStateError(
        `this store holds the demo of another story (${differ.map((key) => `${key}=${made[key]}, not ${asked[key]}`).join('; ')}): set those, or use a new store (delete DATA_DIR)`,
      );
    }
    return new DemoClock(db, row, real);
  }

  get current(): DemoClockState {
    return stateOf(this.row);
  }

  /** The hub's today. */
  readonly now: Clock = () => todayOf(this.row, this.real().getTime());

  /** Reads the store's clock again (another process may have moved it); true when it moved. */
  async reload(): Promise<boolean> {
    const row = await this.db.selectFrom('demoClock').selectAll().executeTakeFirstOrThrow();
    const moved = row.monthsAdvanced !== this.row.monthsAdvanced;
    this.row = row;
    return moved;
  }

  /**
   * Moves the demo on by whole months, within its story, from where the store has it; audited.
   * Refused while the demo is being prepared, unless it is the preparation moving it.
   */
  async advance(actor: Actor, months: number, { preparing = false } = {}): Promise<DemoClockState> {
    if (!Number.isInteger(months) || months < 1) throw new InputError(`months must be a whole number of at least 1, got ${months}`, { argument: 'months' });
    this.row = await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('demoClock').selectAll().forUpdate().executeTakeFirstOrThrow();
      const before = stateOf(row);
      if (!before.prepared && !preparing) throw new InvalidStateError('the demo is still preparing its loan book; the hub logs "demo ready" when it is done');
      const room = DEMO_STORY_MONTHS - row.monthsAdvanced;
      if (months > room) throw new InvalidStateError(storyEndMessage(before.upstreamsAsOf, before.storyEndsAt), { monthsLeft: room });
      const realNow = this.real().getTime();
      const upstreamsAsOf = instantOfMonth(parseMonth(row.startsOn) + row.monthsAdvanced + months);
      // Never back: today moves to the new month's first instant, or stays if it was later.
      const todayAnchor = new Date(Math.max(upstreamsAsOf.getTime(), todayOf(row, realNow).getTime()));
      const moved = await trx
        .updateTable('demoClock')
        .set({ monthsAdvanced: row.monthsAdvanced + months, todayAnchor, anchoredAt: new Date(realNow) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, actor, [
        { action: 'ADVANCE_DEMO_CLOCK', subjectType: 'DemoClock', subjectId: null, before: { upstreamsAsOf: before.upstreamsAsOf }, after: { upstreamsAsOf: upstreamsAsOf.toISOString() } },
      ]);
      return moved;
    });
    return this.current;
  }

  /** The preparation is done: from now on anyone with the role may move the clock. */
  async markPrepared(actor: Actor): Promise<void> {
    this.row = await this.db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('demoClock').set({ preparedAt: this.now() }).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, actor, [{ action: 'PREPARE_DEMO', subjectType: 'DemoClock', subjectId: null, after: { upstreamsAsOf: this.current.upstreamsAsOf } }]);
      return row;
    });
  }
}

function stateOf({ startsOn, monthsAdvanced, preparedAt }: Row): DemoClockState {
  const start = parseMonth(startsOn);
  return {
    startsOn,
    monthsAdvanced,
    prepared: preparedAt !== null,
    upstreamsAsOf: instantOfMonth(start + monthsAdvanced).toISOString(),
    storyEndsAt: instantOfMonth(start + DEMO_STORY_MONTHS).toISOString(),
  };
}

/** The one wording for a move past the story's end, here and in the CLI. */
export function storyEndMessage(upstreamsAsOf: string, storyEndsAt: string): string {
  const months = monthsBetween(upstreamsAsOf, storyEndsAt);
  return `the demo's story ends at ${storyEndsAt.slice(0, 10)}, ${months} month${months === 1 ? '' : 's'} after ${upstreamsAsOf.slice(0, 10)}`;
}

export function monthsBetween(from: string, to: string): number {
  const [a, b] = [new Date(from), new Date(to)];
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}

/** Real time from the anchor, up to the last millisecond of the month the upstreams stand at. */
function todayOf(row: Row, realNow: number): Date {
  const monthEnd = instantOfMonth(parseMonth(row.startsOn) + row.monthsAdvanced + 1).getTime() - 1;
  return new Date(Math.min(row.todayAnchor.getTime() + Math.max(0, realNow - row.anchoredAt.getTime()), monthEnd));
}

function instantOfMonth(month: number): Date {
  return new Date(`${formatMonth(month)}T00:00:00.000Z`);
}
