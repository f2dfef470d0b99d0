import { clientCredentials, UpstreamError, type Transport, type TransportRequest } from '../../src/ingest/sdk.js';
import type { UtilityConfig } from './manifest.js';

export interface BillPage {
  total: number;
  rows: unknown[];
}

/** The platform's envelope: a business code beside the HTTP status. */
interface Envelope {
  retCode?: unknown;
  retMsg?: unknown;
  data?: Record<string, unknown> | null;
}

const OK = '0';
const UNKNOWN_CUSTOMER = '40404';

export type UtilityClient = ReturnType<typeof createUtilityClient>;

export function createUtilityClient(config: UtilityConfig, transport: Transport) {
  const auth = clientCredentials(transport, { tokenPath: '/oauth2/token', clientId: config.appId, clientSecret: config.appSecret });

  /** One authorized request; a token the platform no longer accepts is renewed once. */
  async function call(request: Omit<TransportRequest, 'headers'>, signal?: AbortSignal) {
    for (let attempt = 0; ; attempt++) {
      const answer = await transport.request<Envelope>({ ...request, headers: { authorization: await auth.authorization(signal) } }, signal);
      if (answer.status === 401 && attempt === 0) {
        auth.invalidate();
        continue;
      }
      return answer;
    }
  }

  const unexpected = (method: string, path: string, status: number, body: Envelope) =>
    new UpstreamError(`${method} ${path}: unexpected answer ${status} ${String(body.retCode ?? '')} ${String(body.retMsg ?? '')}`.trim(), {
      method,
      path,
      status,
      retryable: false,
    });

  return {
    /** The numbers of the accounts (户号) the enterprise holds; a customer the utility does not know has none. */
    async accountNumbers(uscc: string, signal?: AbortSignal): Promise<string[]> {
      const path = '/openapi/v1/accounts/query';
      const { status, body } = await call({ method: 'POST', path, json: { shxydm: uscc } }, signal);
      if (status === 200 && body.retCode === UNKNOWN_CUSTOMER) return [];
      const accounts = body.data?.accounts;
      if (status !== 200 || body.retCode !== OK || !Array.isArray(accounts)) throw unexpected('POST', path, status, body);
      return accounts.map((account: unknown) => {
        const hh = (account as { hh?: unknown } | null)?.hh;
        // Without its number an account cannot be read at all: that is the platform's fault, not one bill's.
        if (typeof hh !== 'string' || hh === '') throw unexpected('POST', path, status, { ...body, retMsg: 'an account without hh' });
        return hh;
      });
    },

    /** One page of an account's monthly bills, optionally only those updated on or after a day (yyyyMMdd). */
    async bills(hh: string, page: { pageIndex: number; pageSize: number; updatedSince?: string }, signal?: AbortSignal): Promise<BillPage> {
      const path = `/openapi/v1/accounts/${encodeURIComponent(hh)}/bills`;
      const { status, body } = await call({ method: 'GET', path, query: { pageIndex: page.pageIndex, pageSize: page.pageSize, updatedSince: page.updatedSince } }, signal);
      const rows = body.data?.rows;
      if (status !== 200 || body.retCode !== OK || !Array.isArray(rows)) throw unexpected('GET', path, status, body);
      return { total: Number(body.data?.total ?? rows.length), rows };
    },
  };
}
