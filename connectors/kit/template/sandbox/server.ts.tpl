/**
 * A simulator of the __id__ upstream serving the demo portfolio. Make it speak the real
 * upstream's wire format — field names, codes, amounts, dates, paging, auth — not ours.
 *
 *   GET /v1/enterprises/:uscc/records?page&size   (header X-Api-Key)
 */
import type { Request } from 'express';
import { fenToDecimal } from '../../../src/ingest/sdk.js';
import { asOf, type EnterpriseBundle } from '../../../src/world/index.js';
import type { SandboxOptions, UpstreamSandbox } from '../../kit/contract.js';
import type { DataAnswer, Random } from '../../kit/faults.js';
import { intParam, pageOf, startSandbox, type SandboxHandle } from '../../kit/sandbox.js';
import type { __Pascal__Config } from '../manifest.js';

/** The sandbox's key: not a secret, it guards nothing but a simulator on loopback. */
const DEMO_KEY = '__id__-sandbox-demo-key';

type Wire = Record<string, unknown>;

/** The records the upstream holds about one enterprise as of `clock`, in its wire format. */
export function recordsOf(enterprise: EnterpriseBundle, clock: string): Wire[] {
  return asOf(enterprise.socialInsuranceMonths, clock).map((m) => ({
    id: m.externalId,
    uscc: enterprise.uscc,
    month: m.month.slice(0, 7),
    headcount: m.insuredHeadcount,
    amount: fenToDecimal(m.contributionsPaidFen),
  }));
}

/** Schema drift as the upstream might ship it: a renamed field. */
function drift(record: Wire, _random: Random): Wire {
  const { amount, ...rest } = record;
  return { ...rest, amountPaid: amount };
}

function start__Pascal__Sandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const byUscc = new Map(options.portfolio.enterprises.map((e) => [e.uscc, e]));
  return startSandbox({
    name: '__id__',
    auth: { kind: 'apiKey', header: 'x-api-key', key: DEMO_KEY },
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    clock: options.portfolio.clockInstant,
    bodies: {
      unauthorized: { code: 'UNAUTHORIZED', message: 'missing or bad API key' },
      badRequest: (message) => ({ code: 'BAD_REQUEST', message }),
    },
    routes(app, context) {
      app.get('/v1/enterprises/:uscc/records', context.data((req: Request): DataAnswer<Wire> => {
        const page = intParam(req, 'page', 1);
        const size = intParam(req, 'size', 20, 100);
        const enterprise = byUscc.get(String(req.params.uscc));
        if (!enterprise) return { status: 404, body: { code: 'NOT_FOUND', message: 'no such enterprise' } };
        const records = recordsOf(enterprise, context.clock());
        const parts = pageOf(records, page, size);
        const envelope = (items: unknown[]) => ({ code: 'OK', data: { total: records.length, items } });
        return { status: 200, body: envelope(parts.records), page: { ...parts, withRecords: envelope, drift } };
      }));
    },
  });
}

export const __camel__Sandbox: UpstreamSandbox<__Pascal__Config> = {
  start: start__Pascal__Sandbox,
  config: (url) => ({ baseUrl: url, apiKey: DEMO_KEY }),
};
