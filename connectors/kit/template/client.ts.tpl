import { UpstreamError, type Transport } from '../../src/ingest/sdk.js';
import type { __Pascal__Config } from './manifest.js';

interface Envelope {
  code?: unknown;
  message?: unknown;
  data?: { total?: unknown; items?: unknown } | null;
}

export type __Pascal__Client = ReturnType<typeof create__Pascal__Client>;

export function create__Pascal__Client(config: __Pascal__Config, transport: Transport) {
  return {
    /** One page of an enterprise's records; an enterprise the upstream does not know is an empty stream. */
    async page(uscc: string, page: { page: number; size: number }, signal?: AbortSignal): Promise<{ total: number; records: unknown[] }> {
      const path = `/v1/enterprises/${encodeURIComponent(uscc)}/records`;
      const { status, body } = await transport.request<Envelope>({ method: 'GET', path, query: page, headers: { 'X-Api-Key': config.apiKey } }, signal);
      if (status === 404 && body.code === 'NOT_FOUND') return { total: 0, records: [] };
      if (status !== 200 || body.code !== 'OK' || !body.data || !Array.isArray(body.data.items)) {
        throw new UpstreamError(`GET ${path}: unexpected answer ${status} ${String(body.code ?? '')} ${String(body.message ?? '')}`.trim(), {
          method: 'GET',
          path,
          status,
          retryable: false,
        });
      }
      return { total: Number(body.data.total ?? body.data.items.length), records: body.data.items };
    },
  };
}
