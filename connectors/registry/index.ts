import type { Connector } from '../../src/ingest/sdk.js';
import { createRegistryClient, type RegistryClient } from './client.js';
import { registryManifest, type RegistryConfig } from './manifest.js';
import { normalizeRegistry } from './normalize.js';
import { readRegistry } from './read.js';

export const registryConnector: Connector<RegistryConfig, RegistryClient> = {
  manifest: registryManifest,
  createClient: createRegistryClient,
  read: readRegistry,
  normalize: normalizeRegistry,
};
