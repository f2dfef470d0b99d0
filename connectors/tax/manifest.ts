import { z } from 'zod';
import type { ConnectorManifest } from '../../src/ingest/sdk.js';

export const taxConfig = z.object({
  /** The tax bureau's API, e.g. https://etax.example.gov.cn (in dev and tests, the sandbox). */
  baseUrl: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
});
export type TaxConfig = z.infer<typeof taxConfig>;

export const taxManifest: ConnectorManifest<TaxConfig> = {
  id: 'tax',
  version: '1.0.0',
  displayName: 'Tax bureau (税务局): returns, credit grades, arrears',
  entities: ['taxFiling', 'taxRating', 'taxArrears'],
  // Tax data is collected only with the enterprise's written consent (credit reporting regulation, art. 14).
  consentScope: 'tax',
  config: taxConfig,
  secrets: ['clientSecret'],
  rateLimit: { requestsPerSecond: 50, concurrency: 4 },
};
