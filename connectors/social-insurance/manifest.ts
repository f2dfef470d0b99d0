import { z } from 'zod';
import type { ConnectorManifest } from '../../src/ingest/sdk.js';

export const socialInsuranceConfig = z.object({
  /** The social-insurance agency's data service for banks (in dev and tests, the sandbox). */
  baseUrl: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
});
export type SocialInsuranceConfig = z.infer<typeof socialInsuranceConfig>;

export const socialInsuranceManifest: ConnectorManifest<SocialInsuranceConfig> = {
  id: 'social-insurance',
  version: '1.0.0',
  displayName: 'Social insurance (社会保险): monthly insured headcount and contributions paid',
  entities: ['socialInsuranceMonth'],
  // Employer contribution records are personal-information-adjacent business data: collected with consent only.
  consentScope: 'social-insurance',
  config: socialInsuranceConfig,
  secrets: ['clientSecret'],
  rateLimit: { requestsPerSecond: 20, concurrency: 4 },
};
