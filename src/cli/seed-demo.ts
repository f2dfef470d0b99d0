import { monotonicMs } from '../common/clock.js';
import type { Config } from '../config/config.js';
import { loadPortfolio } from '../demo/load.js';
import { generatePortfolio } from '../world/index.js';
import type { Store } from '../store/database.js';

/** Generates the configured demo portfolio and loads it, reporting progress as it goes. */
export async function seedDemoPortfolio(store: Store, config: Pick<Config, 'demo' | 'personIdSalt'>, report: (message: string) => void) {
  const started = monotonicMs();
  report(`generating the demo portfolio: ${config.demo.enterprises} enterprises, seed ${config.demo.seed}, clock ${config.demo.clock}`);
  const portfolio = generatePortfolio({ seed: config.demo.seed, enterprises: config.demo.enterprises, clock: config.demo.clock });
  let lastReport = -Infinity;
  const rows = await loadPortfolio(store, portfolio, {
    personIdSalt: config.personIdSalt,
    onProgress: (done, total) => {
      if (monotonicMs() - lastReport > 2000 || done === total) {
        lastReport = monotonicMs();
        report(`loading the demo portfolio: ${done}/${total} enterprises`);
      }
    },
  });
  return { enterprises: config.demo.enterprises, seconds: (monotonicMs() - started) / 1000, rows };
}
