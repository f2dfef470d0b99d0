import type { Config } from '../config/config.js';
import { openHubClient, type HubClient } from './hub-client.js';

const REFRESH = /* GraphQL */ `
  mutation Refresh {
    refreshMonitoring { sweepId startedAt finishedAt enterprises failedPulls signals raised }
  }`;
const RAISED = /* GraphQL */ `
  query Raised($sweepId: ID!, $after: String) {
    alerts(filter: { sweepId: $sweepId }, first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { recommendedAction enterprise { uscc name } signal { code severity } } }
    }
  }`;

interface Summary {
  sweepId: string;
  startedAt: string;
  finishedAt: string;
  enterprises: number;
  failedPulls: number;
  signals: number;
  raised: number;
}
type Page = {
  alerts: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: { recommendedAction: string; enterprise: { uscc: string; name: string }; signal: { code: string; severity: string } } }[];
  };
};

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
  const { refreshMonitoring: summary } = await client.run<{ refreshMonitoring: Summary }>(REFRESH);
  const seconds = (Date.parse(summary.finishedAt) - Date.parse(summary.startedAt)) / 1000;
  print(`sweep ${summary.sweepId}: ${summary.enterprises} enterprises with a live loan in ${seconds.toFixed(1)} s; ${summary.signals} signals, ${summary.raised} new alerts${summary.failedPulls ? `; ${summary.failedPulls} pulls failed or refused` : ''}`);
  const alerts: Page['alerts']['edges'][number]['node'][] = [];
  let after: string | null = null;
  do {
    const page: Page = await client.run<Page>(RAISED, { sweepId: summary.sweepId, after });
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
