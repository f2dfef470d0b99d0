import type { Connector } from '../../src/ingest/sdk.js';
import { createUtilityClient, type UtilityClient } from './client.js';
import { utilityManifest, type UtilityConfig } from './manifest.js';
import { normalizeUtility } from './normalize.js';
import { readUtility } from './read.js';

export const utilityConnector: Connector<UtilityConfig, UtilityClient> = {
  manifest: utilityManifest,
  createClient: createUtilityClient,
  read: readUtility,
  normalize: normalizeUtility,
};
