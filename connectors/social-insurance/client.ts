import { clientCredentials, UpstreamError, type Transport } from '../../src/ingest/sdk.js';
import type { SocialInsuranceConfig } from './manifest.js';

interface Envelope {
  resultCode?: unknown;
  resultMsg?: unknown;
  data?: { total?: unknown; rows?: unknown } | null;
}

/** '100404': the agency has no insured unit with this code. */
const UNKNOWN_UNIT = '100404';

export type SocialInsuranceClient = ReturnType<typeof createSocialInsuranceClient>;

export function createSocialInsuranceClient(config: SocialInsuranceConfig, transport: Transport) {
  const auth = clientCredentials(transport, { tokenPath: '/auth/token', clientId: config.clientId, clientSecret: config.clientSecret });
  return {
    /** One page of a unit's monthly contribution records changed on or after `since` (yyyyMMdd). */
    async page(uscc: string, page: { pageNum: number; pageSize: number; since?: string }, signal?: AbortSignal): Promise<{ total: number; records: unknown[] }> {
      const path = `/si/v1/units/${encodeURIComponent(uscc)}/contributions`;
      for (let attempt = 0; ; attempt++) {
        const { status, body } = await transport.request<Envelope>(
          { method: 'GET', path, query: { pageNum: page.pageNum, pageSize: page.pageSize, gxrqq: page.since }, headers: { authorization: await auth.authorization(signal) } },
          signal,
        );
        if (status === 401 && attempt === 0) {
          auth.invalidate();
          continue;
        }
        if (status === 200 && body.resultCode === UNKNOWN_UNIT) return { total: 0, records: [] };
        if (status !== 200 || body.resultCode !== '000000' || !body.data || !Array.isArray(body.data.rows)) {
          throw new UpstreamError(`GET ${path}: unexpected answer ${status} ${String(body.resultCode ?? '')} ${String(body.resultMsg ?? '')}`.trim(), {
            method: 'GET',
            path,
            status,
            retryable: false,
          });
        }
        return { total: Number(body.data.total ?? body.data.rows.length), records: body.data.rows };
      }
    },
  };
}
