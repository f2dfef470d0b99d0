import { loadPortfolio } from '../../src/demo/load.js';
import { generatePortfolio } from '../../src/demo/portfolio.js';
import type { Store } from '../../src/store/database.js';

export const TEST_CLOCK = '2026-11-01';

/** Loads a small deterministic demo portfolio, as `npm start` does with the default size. */
export async function seedDemo(store: Store, enterprises: number, seed = 7) {
  const portfolio = generatePortfolio({ seed, enterprises, clock: TEST_CLOCK });
  await loadPortfolio(store, portfolio, { personIdSalt: 'test-salt-test-salt' });
  return portfolio;
}
