import type { Clock } from '../common/clock.js';
import type { Actor } from '../audit/audit.js';
import type { Config } from '../config/config.js';
import type { Store } from '../store/database.js';
import { formatMonth, parseMonth } from '../common/calendar.js';
import { DEMO_STORY_MONTHS, DemoClock, type DemoClockState } from './clock.js';
import { registerDemoEnterprises, startDemoUpstreams, type DemoUpstreams } from './fill.js';
import { HISTORY_MONTHS, generatePortfolio, type Portfolio } from '../world/index.js';

/**
 * The demo as the hub runs it: a story written from DEMO_SEED up to DEMO_STORY_MONTHS past
 * DEMO_CLOCK (with 36 months of history before DEMO_CLOCK), the upstream sandboxes serving it
 * as of the demo clock, and the bank's enterprises and consents. Moving the clock moves every
 * sandbox with it: the story's enterprises go on as the generator planned them (the distressed
 * deteriorate, a few healthy ones slip), and the hub sees it only through its connectors.
 */
export interface DemoWorld {
  portfolio: Portfolio;
  upstreams: DemoUpstreams;
  clock: DemoClock;
  /** Moves the demo on by whole months: the clock in the store, then every sandbox. */
  advance(actor: Actor, months: number, options?: { preparing?: boolean }): Promise<DemoClockState>;
  /** Follows the store's clock, which another process may have moved. */
  reload(): Promise<DemoClockState>;
  close(): Promise<void>;
}

/** The demo's story: the generated portfolio from 36 months before DEMO_CLOCK to DEMO_STORY_MONTHS past it. */
export function demoStory(demo: Config['demo']): Portfolio {
  return generatePortfolio({
    seed: demo.seed,
    enterprises: demo.enterprises,
    clock: formatMonth(parseMonth(demo.clock) + DEMO_STORY_MONTHS),
    historyMonths: HISTORY_MONTHS + DEMO_STORY_MONTHS,
  });
}

/**
 * The demo over a store: `serve` makes the store the demo's (`create`); other commands join a
 * demo a hub made, and get undefined for a store that is not one. Its today runs on `real` time
 * from where the store's clock stands.
 */
export async function openDemoWorld(store: Store, demo: Config['demo'], options: { create: boolean; real: Clock; personIdSalt: string }): Promise<DemoWorld | undefined> {
  const clock = await DemoClock.open(store.db, demo, options);
  if (!clock) return undefined;
  const portfolio = demoStory(demo);
  const upstreams = await startDemoUpstreams(portfolio, demo.sandboxFaults, clock.current.upstreamsAsOf);
  try {
    await registerDemoEnterprises(store, portfolio, clock.now(), options.personIdSalt);
  } catch (error) {
    await upstreams.close();
    throw error;
  }
  const follow = (state: DemoClockState) => {
    for (const sandbox of upstreams.sandboxes.values()) sandbox.setClock(state.upstreamsAsOf);
    return state;
  };
  return {
    portfolio,
    upstreams,
    clock,
    advance: async (actor, months, options) => follow(await clock.advance(actor, months, options)),
    reload: async () => {
      await clock.reload();
      return follow(clock.current);
    },
    close: () => upstreams.close(),
  };
}
