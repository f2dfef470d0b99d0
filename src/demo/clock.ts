import { recordAudit, type Actor } from '../audit/audit.js';
import { formatMonth, parseMonth } from '../common/calendar.js';
import { InputError, InvalidStateError } from '../common/errors.js';
import type { Db } from '../store/database.js';

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

/**
 * Time in the demo. The upstream sandboxes serve the story as of a month's first day; the hub's
 * today is the real time moved by as many months, so the distance between the two stays what
 * it is at DEMO_CLOCK, and everything the hub records (when it observed a fact, ran a sync,
 * booked a loan) is on the demo's time. Kept in the store, so the hub and the CLI share it and
 * a restart keeps it; this process's copy is moved by `advance` only.
 */
export class DemoClock {
  private constructor(
    private readonly db: Db,
    private state: DemoClockState,
  ) {}

  /** The store's clock; the first time, at the start of the prehistory. A store started for another DEMO_CLOCK is refused. */
  static async open(db: Db, startsOn: string): Promise<DemoClock> {
    parseMonth(startsOn);
    await db
      .insertInto('demoClock')
      .values({ startsOn, monthsAdvanced: -DEMO_PREHISTORY_MONTHS })
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
    const row = await db.selectFrom('demoClock').select(['startsOn', 'monthsAdvanced', 'preparedAt']).executeTakeFirstOrThrow();
    if (row.startsOn !== startsOn) {
      throw new InvalidStateError(`this store's demo has DEMO_CLOCK ${row.startsOn}, not ${startsOn}: set DEMO_CLOCK=${row.startsOn}, or use a new store for another story`);
    }
    return new DemoClock(db, stateOf(startsOn, row.monthsAdvanced, row.preparedAt !== null));
  }

  get current(): DemoClockState {
    return this.state;
  }

  /** The hub's today. */
  readonly now = (): Date => shiftMonths(new Date(), this.state.monthsAdvanced);

  /**
   * Moves the demo on by whole months, within its story; audited. Refused while the demo is
   * being prepared, unless it is the preparation moving it.
   */
  async advance(actor: Actor, months: number, { preparing = false } = {}): Promise<DemoClockState> {
    if (!Number.isInteger(months) || months < 1) throw new InputError(`months must be a whole number of at least 1, got ${months}`, { argument: 'months' });
    const { startsOn, monthsAdvanced: before, prepared } = this.state;
    if (!prepared && !preparing) throw new InvalidStateError('the demo is still preparing its loan book; the hub logs "demo ready" when it is done');
    const room = DEMO_STORY_MONTHS - before;
    if (months > room) {
      throw new InvalidStateError(`the demo's story ends at ${this.state.storyEndsAt}; it stands at ${this.state.upstreamsAsOf}, ${room} month${room === 1 ? '' : 's'} from the end`, { monthsLeft: room });
    }
    const advanced = await this.db.transaction().execute(async (trx) => {
      // Conditional on the months it read, so two advances at once cannot both pass the end.
      const row = await trx
        .updateTable('demoClock')
        .set({ monthsAdvanced: before + months, advancedAt: new Date() })
        .where('monthsAdvanced', '=', before)
        .returning(['monthsAdvanced', 'preparedAt'])
        .executeTakeFirst();
      if (!row) throw new InvalidStateError('another process moved the demo clock meanwhile; read it again and retry');
      const after = stateOf(startsOn, row.monthsAdvanced, row.preparedAt !== null);
      await recordAudit(trx, actor, [{ action: 'ADVANCE_DEMO_CLOCK', subjectType: 'DemoClock', subjectId: null, before: { upstreamsAsOf: this.state.upstreamsAsOf }, after: { upstreamsAsOf: after.upstreamsAsOf } }]);
      return after;
    });
    this.state = advanced;
    return advanced;
  }

  async markPrepared(): Promise<void> {
    await this.db.updateTable('demoClock').set({ preparedAt: new Date() }).execute();
    this.state = { ...this.state, prepared: true };
  }
}

function stateOf(startsOn: string, monthsAdvanced: number, prepared: boolean): DemoClockState {
  const start = parseMonth(startsOn);
  return {
    startsOn,
    monthsAdvanced,
    prepared,
    upstreamsAsOf: `${formatMonth(start + monthsAdvanced)}T00:00:00.000Z`,
    storyEndsAt: `${formatMonth(start + DEMO_STORY_MONTHS)}T00:00:00.000Z`,
  };
}

/** The same instant `months` calendar months later (earlier when negative), on the month's last day where the day is missing. */
export function shiftMonths(instant: Date, months: number): Date {
  if (months === 0) return instant;
  const shifted = new Date(instant);
  const day = shifted.getUTCDate();
  shifted.setUTCDate(1);
  shifted.setUTCMonth(shifted.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, 0)).getUTCDate();
  shifted.setUTCDate(Math.min(day, lastDay));
  return shifted;
}
