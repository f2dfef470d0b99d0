import type { Connector } from '../../src/ingest/sdk.js';
import { createSocialInsuranceClient, type SocialInsuranceClient } from './client.js';
import { socialInsuranceManifest, type SocialInsuranceConfig } from './manifest.js';
import { normalizeSocialInsurance } from './normalize.js';
import { readSocialInsurance } from './read.js';

export const socialInsuranceConnector: Connector<SocialInsuranceConfig, SocialInsuranceClient> = {
  manifest: socialInsuranceManifest,
  createClient: createSocialInsuranceClient,
  read: readSocialInsurance,
  normalize: normalizeSocialInsurance,
};
