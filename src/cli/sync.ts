import { SingleBar, Presets } from 'cli-progress';
import { forEachConcurrently } from '../common/concurrency.js';
import type { Config } from '../config/config.js';
import type { EnterprisePageQuery, SyncMutation } from '../generated/cli/graphql.js';
import { openHubClient } from './hub-client.js';
import { ENTERPRISE_ID, ENTERPRISE_PAGE, SYNC } from './operations.js';

type RunSummary = SyncMutation['syncEnterprise'][number];

/**
 * `sync --all | --enterprise USCC [--source ID] [--concurrency N]`: syncs through the same GraphQL
 * mutation a frontend would send, N enterprises at once, with a progress bar (on a terminal)
 * and a summary per source.
 * Returns whether every run succeeded or was partial.
 */
export async function sync(config: Config, options: { all?: boolean; enterprise?: string; source?: string[]; concurrency: number }): Promise<boolean> {
  if (Boolean(options.all) === Boolean(options.enterprise)) throw new Error('give either --all or --enterprise USCC');
  const client = await openHubClient(config);
  const totals = new Map<string, RunSummary & { runs: number; failed: number }>();
  try {
    const ids: string[] = [];
    if (options.enterprise) {
      const found = await client.run(ENTERPRISE_ID, { uscc: options.enterprise });
      if (!found.enterprise) throw new Error(`no enterprise with USCC ${options.enterprise}`);
      ids.push(found.enterprise.id);
    } else {
      let after: string | null = null;
      do {
        const page: EnterprisePageQuery = await client.run(ENTERPRISE_PAGE, { after });
        ids.push(...page.enterprises.edges.map((edge) => edge.node.id));
        after = page.enterprises.pageInfo.hasNextPage ? page.enterprises.pageInfo.endCursor : null;
      } while (after);
    }
    const bar = process.stderr.isTTY ? new SingleBar({ format: 'syncing [{bar}] {value}/{total} enterprises {eta_formatted}' }, Presets.shades_classic) : undefined;
    bar?.start(ids.length, 0);
    let done = 0;
    await forEachConcurrently(ids, options.concurrency, async (id) => {
      const result = await client.run(SYNC, { id, sources: options.source ?? null });
      for (const run of result.syncEnterprise) {
        const total = totals.get(run.connector) ?? { ...run, fetched: 0, stored: 0, duplicates: 0, quarantined: 0, runs: 0, failed: 0, error: null };
        total.runs++;
        total.fetched += run.fetched;
        total.stored += run.stored;
        total.duplicates += run.duplicates;
        total.quarantined += run.quarantined;
        if (run.status === 'FAILED' || run.status === 'REFUSED') {
          total.failed++;
          total.error ??= run.error;
        }
        totals.set(run.connector, total);
      }
      done++;
      bar?.update(done);
      if (!bar && done % 100 === 0) console.error(`synced ${done}/${ids.length} enterprises`);
    });
    bar?.stop();
  } finally {
    await client.close();
  }
  console.table(
    [...totals.values()].map(({ connector, runs, failed, fetched, stored, duplicates, quarantined, error }) => ({
      source: connector, runs, failed, fetched, stored, duplicates, quarantined, 'first error': error ?? '',
    })),
  );
  return [...totals.values()].every((total) => total.failed === 0);
}
