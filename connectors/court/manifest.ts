import { z } from 'zod';
import type { ConnectorManifest } from '../../src/ingest/sdk.js';

export const courtConfig = z.object({
  /** The judicial-data provider's API, e.g. https://api.judicial.example.com (in dev and tests, the sandbox). */
  baseUrl: z.string().url(),
  apiKey: z.string().min(1),
});
export type CourtConfig = z.infer<typeof courtConfig>;

export const courtManifest: ConnectorManifest<CourtConfig> = {
  id: 'court',
  version: '1.0.0',
  displayName: 'Judicial risk (司法风险): court cases, enforcement, dishonest debtors, consumption restrictions',
  entities: ['courtCase', 'enforcement'],
  // Courts publish these records, but this channel also returns persons' full ID numbers: queried only
  // for an enterprise that consented to the check (PIPL: a definite purpose, minimal scope).
  consentScope: 'court',
  config: courtConfig,
  secrets: ['apiKey'],
  rateLimit: { requestsPerSecond: 20, concurrency: 4 },
  // The licensed channel returns a natural person's full ID number (身份证号) on enforcements against them.
  personalFields: ['sfzhm'],
  // A natural person subject to enforcement, and a case's counterparty (a person or an enterprise).
  personNameFields: ['bzxrxm', 'dfdsr'],
  // Enforcement, dishonest-debtor and consumption-restriction records of the legal representative
  // are their personal credit information: they authorize the pull themselves.
  personalSubjects: ['LEGAL_REPRESENTATIVE'],
};
