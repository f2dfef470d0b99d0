import { startDemoUpstreams, type DemoUpstreams } from '../../src/demo/fill.js';
import { loadPortfolio } from '../../src/demo/load.js';
import { generatePortfolio, type Portfolio } from '../../src/world/index.js';
import type { Store } from '../../src/store/database.js';

export const TEST_CLOCK = '2026-11-01';

/** Loads a small deterministic demo portfolio, as `npm start` does with the default size. */
export async function seedDemo(store: Store, enterprises: number, seed = 7) {
  const portfolio = generatePortfolio({ seed, enterprises, clock: TEST_CLOCK });
  await loadPortfolio(store, portfolio, { personIdSalt: 'test-salt-test-salt' });
  return portfolio;
}

/**
 * A generated portfolio and its upstreams' sandboxes on loopback, started before the file's
 * tests and closed after them; read them through the returned object once the tests run.
 */
export function demoUpstreamsForFile(options: { seed: number; enterprises: number }): { portfolio: Portfolio; upstreams: DemoUpstreams } {
  const world = {} as { portfolio: Portfolio; upstreams: DemoUpstreams };
  beforeAll(async () => {
    world.portfolio = generatePortfolio({ ...options, clock: TEST_CLOCK });
    world.upstreams = await startDemoUpstreams(world.portfolio, {});
  }, 60_000);
  afterAll(async () => {
    await world.upstreams?.close();
  });
  return world;
}
