import type { Connector } from '../../src/ingest/sdk.js';
import { createCourtClient, type CourtClient } from './client.js';
import { courtManifest, type CourtConfig } from './manifest.js';
import { normalizeCourt } from './normalize.js';
import { readCourt } from './read.js';

export const courtConnector: Connector<CourtConfig, CourtClient> = {
  manifest: courtManifest,
  createClient: createCourtClient,
  read: readCourt,
  normalize: normalizeCourt,
};
