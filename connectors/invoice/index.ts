import type { Connector } from '../../src/ingest/sdk.js';
import { createInvoiceClient, type InvoiceClient } from './client.js';
import { invoiceManifest, type InvoiceConfig } from './manifest.js';
import { normalizeInvoice } from './normalize.js';
import { readInvoices } from './read.js';

export const invoiceConnector: Connector<InvoiceConfig, InvoiceClient> = {
  manifest: invoiceManifest,
  createClient: createInvoiceClient,
  read: readInvoices,
  normalize: normalizeInvoice,
};
