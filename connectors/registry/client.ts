import { UpstreamError, type Transport } from '../../src/ingest/sdk.js';
import type { RegistryConfig } from './manifest.js';

/** The provider's resources for one enterprise, by the path under /api/enterprise/. */
export const REGISTRY_STREAMS = ['basic', 'partners', 'key-persons', 'changes', 'exceptions'] as const;
export type RegistryStream = (typeof REGISTRY_STREAMS)[number];

interface Envelope {
  Status?: unknown;
  Message?: unknown;
  Result?: unknown;
  Paging?: { TotalRecords?: unknown } | null;
}

/** '201': the provider has no record for the keyword. */
const NO_RESULT = '201';

export type RegistryClient = ReturnType<typeof createRegistryClient>;

export function createRegistryClient(config: RegistryConfig, transport: Transport) {
  const authorization = `APPCODE ${config.appCode}`;
  return {
    /**
     * One page of a resource: `basic` answers one object (a page of one), the lists answer
     * pages with a total. An enterprise the provider does not know is an empty resource.
     */
    async page(stream: RegistryStream, uscc: string, page: { pageIndex: number; pageSize: number }, signal?: AbortSignal): Promise<{ total: number; records: unknown[] }> {
      const path = `/api/enterprise/${stream}`;
      const query = stream === 'basic' ? { keyword: uscc } : { keyword: uscc, pageIndex: page.pageIndex, pageSize: page.pageSize };
      const { status, body } = await transport.request<Envelope>({ method: 'GET', path, query, headers: { authorization } }, signal);
      if (status === 200 && body.Status === NO_RESULT) return { total: 0, records: [] };
      if (status === 200 && body.Status === '200') {
        if (stream === 'basic' && typeof body.Result === 'object' && body.Result !== null && !Array.isArray(body.Result)) return { total: 1, records: [body.Result] };
        if (stream !== 'basic' && Array.isArray(body.Result)) return { total: Number(body.Paging?.TotalRecords ?? body.Result.length), records: body.Result };
      }
      throw new UpstreamError(`GET ${path}: unexpected answer ${status} ${String(body.Status ?? '')} ${String(body.Message ?? '')}`.trim(), {
        method: 'GET',
        path,
        status,
        retryable: false,
      });
    },
  };
}
