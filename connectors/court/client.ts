import { UpstreamError, type Transport } from '../../src/ingest/sdk.js';
import type { CourtConfig } from './manifest.js';

/** The provider's streams and their paths under /api/judicial/v2/. */
export const COURT_STREAMS = { cases: 'cases', enforcements: 'enforcements' } as const;
export type CourtStream = keyof typeof COURT_STREAMS;

export interface CourtPage {
  total: number;
  records: unknown[];
  /** The opaque cursor of the next page, null on the last. */
  nextCursor: string | null;
}

/** The provider's envelope: a business status beside the HTTP status. */
interface Envelope {
  status?: unknown;
  message?: unknown;
  result?: { total?: unknown; items?: unknown; nextCursor?: unknown } | null;
}

const FOUND = '200';
/** "查询无结果": an enterprise the provider holds nothing about. */
const NO_RESULT = '201';

export type CourtClient = ReturnType<typeof createCourtClient>;

export function createCourtClient(config: CourtConfig, transport: Transport) {
  return {
    /** One page of a stream for one enterprise, from `cursor` (the first page without one); no result is an empty stream. */
    async page(stream: CourtStream, creditCode: string, page: { cursor?: string; limit: number }, signal?: AbortSignal): Promise<CourtPage> {
      const path = `/api/judicial/v2/${COURT_STREAMS[stream]}`;
      const { status, body } = await transport.request<Envelope>(
        { method: 'GET', path, query: { creditCode, cursor: page.cursor, limit: page.limit }, headers: { 'X-Api-Key': config.apiKey } },
        signal,
      );
      if (status === 200 && body.status === NO_RESULT) return { total: 0, records: [], nextCursor: null };
      const result = body.result;
      if (status !== 200 || body.status !== FOUND || !result || !Array.isArray(result.items) || !(result.nextCursor == null || typeof result.nextCursor === 'string')) {
        throw new UpstreamError(`GET ${path}: unexpected answer ${status} ${String(body.status ?? '')} ${String(body.message ?? '')}`.trim(), {
          method: 'GET',
          path,
          status,
          retryable: false,
        });
      }
      return { total: Number(result.total ?? result.items.length), records: result.items, nextCursor: result.nextCursor ?? null };
    },
  };
}
