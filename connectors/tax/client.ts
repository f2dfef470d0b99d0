import { clientCredentials, UpstreamError, type Transport } from '../../src/ingest/sdk.js';
import type { TaxConfig } from './manifest.js';

/** The tax bureau's streams and their paths under /api/v1/taxpayers/:nsrsbh/. */
export const TAX_STREAMS = { returns: 'returns', 'credit-ratings': 'credit-ratings', arrears: 'arrears' } as const;
export type TaxStream = keyof typeof TAX_STREAMS;

export interface TaxPage {
  total: number;
  records: unknown[];
}

/** The bureau's envelope: a business code beside the HTTP status. */
interface Envelope {
  code?: unknown;
  message?: unknown;
  data?: { total?: unknown; records?: unknown } | null;
}

const UNKNOWN_TAXPAYER = '1004';

export type TaxClient = ReturnType<typeof createTaxClient>;

export function createTaxClient(config: TaxConfig, transport: Transport) {
  const auth = clientCredentials(transport, { tokenPath: '/oauth/token', clientId: config.clientId, clientSecret: config.clientSecret });

  return {
    /** One page of a stream for one taxpayer; an unknown taxpayer is an empty stream. */
    async page(stream: TaxStream, nsrsbh: string, page: { pageNo: number; pageSize: number; since?: string }, signal?: AbortSignal): Promise<TaxPage> {
      const path = `/api/v1/taxpayers/${encodeURIComponent(nsrsbh)}/${TAX_STREAMS[stream]}`;
      for (let attempt = 0; ; attempt++) {
        const { status, body } = await transport.request<Envelope>(
          { method: 'GET', path, query: { pageNo: page.pageNo, pageSize: page.pageSize, since: page.since }, headers: { authorization: await auth.authorization(signal) } },
          signal,
        );
        if (status === 401 && attempt === 0) {
          auth.invalidate();
          continue;
        }
        if (status === 200 && body.code === UNKNOWN_TAXPAYER) return { total: 0, records: [] };
        if (status !== 200 || body.code !== '0000' || !body.data || !Array.isArray(body.data.records)) {
          throw new UpstreamError(`GET ${path}: unexpected answer ${status} ${String(body.code ?? '')} ${String(body.message ?? '')}`.trim(), {
            method: 'GET',
            path,
            status,
            retryable: false,
          });
        }
        return { total: Number(body.data.total ?? body.data.records.length), records: body.data.records };
      }
    },
  };
}
