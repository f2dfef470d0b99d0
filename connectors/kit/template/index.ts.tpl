import type { Connector } from '../../src/ingest/sdk.js';
import { create__Pascal__Client, type __Pascal__Client } from './client.js';
import { __camel__Manifest, type __Pascal__Config } from './manifest.js';
import { normalize__Pascal__ } from './normalize.js';
import { read__Pascal__ } from './read.js';

export const __camel__Connector: Connector<__Pascal__Config, __Pascal__Client> = {
  manifest: __camel__Manifest,
  createClient: create__Pascal__Client,
  read: read__Pascal__,
  normalize: normalize__Pascal__,
};
