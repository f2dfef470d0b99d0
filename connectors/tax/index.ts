import type { Connector } from '../../src/ingest/sdk.js';
import { createTaxClient, type TaxClient } from './client.js';
import { taxManifest, type TaxConfig } from './manifest.js';
import { normalizeTax } from './normalize.js';
import { readTax } from './read.js';

export const taxConnector: Connector<TaxConfig, TaxClient> = {
  manifest: taxManifest,
  createClient: createTaxClient,
  read: readTax,
  normalize: normalizeTax,
};
