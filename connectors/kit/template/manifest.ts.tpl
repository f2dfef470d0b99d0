import { z } from 'zod';
import type { ConnectorManifest } from '../../src/ingest/sdk.js';

export const __camel__Config = z.object({
  /** The upstream's API (in dev and tests, the sandbox). */
  baseUrl: z.string().url(),
  /** Sent as the `X-Api-Key` header. */
  apiKey: z.string().min(1),
});
export type __Pascal__Config = z.infer<typeof __camel__Config>;

export const __camel__Manifest: ConnectorManifest<__Pascal__Config> = {
  id: '__id__',
  version: '0.1.0',
  displayName: '__id__ (describe the upstream here)',
  // TODO(__id__): the canonical entities this source produces. The template's example upstream
  // serves monthly figures, stored as socialInsuranceMonth; see connectors/README.md.
  entities: ['socialInsuranceMonth'],
  consentScope: '__id__',
  config: __camel__Config,
  secrets: ['apiKey'],
  rateLimit: { requestsPerSecond: 20, concurrency: 4 },
};
