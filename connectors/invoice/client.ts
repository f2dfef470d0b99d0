import { clientCredentials, UpstreamError, type Transport } from '../../src/ingest/sdk.js';
import type { InvoiceConfig } from './manifest.js';

export interface InvoicePage {
  list: unknown[];
  hasNextPage: boolean;
}

/** The platform's envelope: a numeric business code beside the HTTP status. */
interface Envelope {
  code?: unknown;
  msg?: unknown;
  data?: { list?: unknown; hasNextPage?: unknown } | null;
}

const SUCCESS = 0;
const UNKNOWN_TAXPAYER = 40004;

export type InvoiceClient = ReturnType<typeof createInvoiceClient>;

export function createInvoiceClient(config: InvoiceConfig, transport: Transport) {
  const auth = clientCredentials(transport, { tokenPath: '/auth/oauth2/token', clientId: config.clientId, clientSecret: config.clientSecret });

  return {
    /**
     * One page of the invoices a taxpayer issued, updated at or after `updatedFrom`
     * (yyyyMMddHHmmss, Beijing time); an unknown taxpayer has issued none.
     */
    async sales(taxNo: string, page: { pageNum: number; pageSize: number; updatedFrom?: string }, signal?: AbortSignal): Promise<InvoicePage> {
      const path = '/v1/invoices/sales';
      for (let attempt = 0; ; attempt++) {
        const { status, body } = await transport.request<Envelope>(
          { method: 'GET', path, query: { taxNo, pageNum: page.pageNum, pageSize: page.pageSize, updatedFrom: page.updatedFrom }, headers: { authorization: await auth.authorization(signal) } },
          signal,
        );
        if (status === 401 && attempt === 0) {
          auth.invalidate();
          continue;
        }
        if (status === 200 && body.code === UNKNOWN_TAXPAYER) return { list: [], hasNextPage: false };
        if (status !== 200 || body.code !== SUCCESS || !body.data || !Array.isArray(body.data.list) || typeof body.data.hasNextPage !== 'boolean') {
          throw new UpstreamError(`GET ${path}: unexpected answer ${status} ${String(body.code ?? '')} ${String(body.msg ?? '')}`.trim(), {
            method: 'GET',
            path,
            status,
            retryable: false,
          });
        }
        return { list: body.data.list, hasNextPage: body.data.hasNextPage };
      }
    },
  };
}
