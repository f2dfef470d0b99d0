import type { Config } from '../config/config.js';
import { openHubClient } from './hub-client.js';
import { ADVANCE_DEMO_CLOCK, DEMO_CLOCK } from './operations.js';
import { sweep } from './refresh.js';
import { monthsBetween, storyEndMessage } from '../demo/clock.js';

/**
 * `simulate --months N`: time passes in the demo, a month at a time. Each month the upstream
 * sandboxes move on (the story's distressed enterprises deteriorate, a few healthy ones slip),
 * the book is swept, and the alerts it raised are printed. Refused before anything moves when
 * the hub does not run the demo, is still preparing it, or the story ends sooner.
 */
export async function simulate(config: Config, months: number, print: (line: string) => void): Promise<void> {
  const client = await openHubClient(config, { worker: true, demo: true });
  try {
    const { demoClock: clock } = await client.run(DEMO_CLOCK);
    if (!clock) throw new Error('INVALID_STATE: the hub does not run the demo (DEMO=false); simulate moves the demo\'s clock only');
    if (!clock.prepared) throw new Error('INVALID_STATE: the demo is still preparing its loan book; the hub logs "demo ready" when it is done');
    if (months > monthsBetween(clock.upstreamsAsOf, clock.storyEndsAt)) throw new Error(`INVALID_STATE: ${storyEndMessage(clock.upstreamsAsOf, clock.storyEndsAt)}`);
    for (let month = 1; month <= months; month++) {
      const { advanceDemoClock: now } = await client.run(ADVANCE_DEMO_CLOCK, { months: 1 });
      print(`${now.upstreamsAsOf.slice(0, 7)}: the upstreams serve the story as of ${now.upstreamsAsOf.slice(0, 10)}; the hub's today is ${now.today.slice(0, 10)}`);
      await sweep(client, print);
    }
  } finally {
    await client.close();
  }
}

