import { z } from 'zod';
import type { ConnectorManifest } from '../../src/ingest/sdk.js';

export const registryConfig = z.object({
  /** The registry data provider's API (in dev and tests, the sandbox). */
  baseUrl: z.string().url(),
  /** The API marketplace's app code, sent as `Authorization: APPCODE <code>`. */
  appCode: z.string().min(1),
});
export type RegistryConfig = z.infer<typeof registryConfig>;

export const registryManifest: ConnectorManifest<RegistryConfig> = {
  id: 'registry',
  version: '1.0.0',
  displayName: 'Business registry (工商登记): basic information, shareholders, key persons, changes, abnormal operations',
  entities: ['enterprise', 'relation', 'registryChange', 'abnormalOperation'],
  consentScope: 'registry',
  config: registryConfig,
  secrets: ['appCode'],
  rateLimit: { requestsPerSecond: 20, concurrency: 4 },
  // Shareholders and key persons who are natural persons come with their ID numbers.
  personalFields: ['IdNo'],
  // Key persons' Name, natural-person shareholders' StockName, the legal representative's OperName.
  personNameFields: ['Name', 'StockName', 'OperName'],
};
