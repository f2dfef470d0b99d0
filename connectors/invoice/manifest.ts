import { z } from 'zod';
import type { ConnectorManifest } from '../../src/ingest/sdk.js';

export const invoiceConfig = z.object({
  /** The e-invoice platform's API, e.g. https://dppt.example.gov.cn (in dev and tests, the sandbox). */
  baseUrl: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
});
export type InvoiceConfig = z.infer<typeof invoiceConfig>;

export const invoiceManifest: ConnectorManifest<InvoiceConfig> = {
  id: 'invoice',
  version: '1.0.0',
  displayName: 'E-invoice platform (电子发票服务平台): sales invoices',
  entities: ['invoice'],
  // The platform releases an enterprise's invoices to an authorised third party only on the enterprise's own authorisation.
  consentScope: 'invoice',
  config: invoiceConfig,
  secrets: ['clientSecret'],
  rateLimit: { requestsPerSecond: 50, concurrency: 4 },
};
