import { z } from 'zod';
import type { ConnectorManifest } from '../../src/ingest/sdk.js';

export const utilityConfig = z.object({
  /** The utility's open platform, e.g. https://openapi.example-grid.com.cn (in dev and tests, the sandbox). */
  baseUrl: z.string().url(),
  /** The application id and secret the utility issued to the bank: its OAuth2 client credentials. */
  appId: z.string().min(1),
  appSecret: z.string().min(1),
});
export type UtilityConfig = z.infer<typeof utilityConfig>;

export const utilityManifest: ConnectorManifest<UtilityConfig> = {
  id: 'utility',
  version: '1.0.0',
  displayName: 'Utilities (电力/水务/燃气): monthly bills and payments',
  entities: ['utilityBill'],
  // Utility accounts are the customer's data: collected only with the enterprise's authorization for this scope.
  consentScope: 'utility',
  config: utilityConfig,
  secrets: ['appSecret'],
  rateLimit: { requestsPerSecond: 30, concurrency: 4 },
};
