import { SingleBar, Presets } from 'cli-progress';
import type { Config } from '../config/config.js';
import { openHubClient } from './hub-client.js';

interface RunSummary {
  connector: string;
  status: string;
  fetched: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  error: string | null;
}

const SYNC = /* GraphQL */ `
  mutation Sync($id: ID!, $sources: [String!]) {
    syncEnterprise(id: $id, sources: $sources) { connector status fetched stored duplicates quarantined error }
  }`;
const ENTERPRISE_ID = 'query($uscc: String!) { enterprise(uscc: $uscc) { id } }';
const PAGE = 'query($after: String) { enterprises(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }';

/**
 * `sync --all | --enterprise USCC [--source ID]`: syncs through the same GraphQL mutation a
 * frontend would send, with a progress bar (on a terminal) and a summary per source.
 * Returns whether every run succeeded or was partial.
 */
export async function sync(config: Config, options: { all?: boolean; enterprise?: string; source?: string[] }): Promise<boolean> {
  if (Boolean(options.all) === Boolean(options.enterprise)) throw new Error('give either --all or --enterprise USCC');
  const client = await openHubClient(config);
  const totals = new Map<string, RunSummary & { runs: number; failed: number }>();
  try {
    const ids: string[] = [];
    if (options.enterprise) {
      const found = await client.run<{ enterprise: { id: string } | null }>(ENTERPRISE_ID, { uscc: options.enterprise });
      if (!found.enterprise) throw new Error(`no enterprise with USCC ${options.enterprise}`);
      ids.push(found.enterprise.id);
    } else {
      let after: string | null = null;
      do {
        type Page = { enterprises: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string } }[] } };
        const page: Page = await client.run<Page>(PAGE, { after });
        ids.push(...page.enterprises.edges.map((edge) => edge.node.id));
        after = page.enterprises.pageInfo.hasNextPage ? page.enterprises.pageInfo.endCursor : null;
      } while (after);
    }
    const bar = process.stderr.isTTY ? new SingleBar({ format: 'syncing [{bar}] {value}/{total} enterprises {eta_formatted}' }, Presets.shades_classic) : undefined;
    bar?.start(ids.length, 0);
    for (const [index, id] of ids.entries()) {
      const result = await client.run<{ syncEnterprise: RunSummary[] }>(SYNC, { id, sources: options.source ?? null });
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
      bar?.update(index + 1);
      if (!bar && (index + 1) % 100 === 0) console.error(`synced ${index + 1}/${ids.length} enterprises`);
    }
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
