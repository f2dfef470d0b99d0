import type { Config } from '../config/config.js';
import type { RaisedQuery, RefreshMutation } from '../generated/cli/graphql.js';
import { openHubClient, type HubClient } from './hub-client.js';
import { RAISED, REFRESH } from './operations.js';

type Summary = RefreshMutation['refreshMonitoring'];
type Alert = RaisedQuery['alerts']['edges'][number]['node'];

/** `refresh`: one sweep of the loan book, then every alert it raised, worst first. */
export async function refresh(config: Config, print: (line: string) => void): Promise<Summary> {
  const client = await openHubClient(config, { worker: true, demo: true });
  try {
    return await sweep(client, print);
  } finally {
    await client.close();
  }
}

/** One sweep through the client, printed: its summary, then every alert it raised, worst first. */
export async function sweep(client: HubClient, print: (line: string) => void): Promise<Summary> {
  const { refreshMonitoring: summary } = await client.run(REFRESH);
  const seconds = (Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000;
  print(`sweep ${summary.sweepId}: ${summary.enterprises} enterprises with a live loan in ${seconds.toFixed(1)} s; ${summary.signals} signals, ${summary.raised} new alerts${summary.failedPulls ? `; ${summary.failedPulls} pulls failed or refused` : ''}`);
  const alerts: Alert[] = [];
  let after: string | null = null;
  do {
    const page: RaisedQuery = await client.run(RAISED, { sweepId: summary.sweepId, after });
    alerts.push(...page.alerts.edges.map((edge) => edge.node));
    after = page.alerts.pageInfo.hasNextPage ? page.alerts.pageInfo.endCursor : null;
  } while (after);
  const rank = { CRITICAL: 0, WARNING: 1, INFO: 2 } as Record<string, number>;
  alerts.sort((a, b) => rank[a.signal.severity]! - rank[b.signal.severity]! || a.enterprise.uscc.localeCompare(b.enterprise.uscc));
  for (const alert of alerts) {
    print(`  ${alert.signal.severity.padEnd(8)} ${alert.signal.code.padEnd(26)} ${alert.recommendedAction.padEnd(12)} ${alert.enterprise.uscc} ${alert.enterprise.name}`);
  }
  return summary;
}
