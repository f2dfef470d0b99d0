import { readFileSync } from 'node:fs';
import type { ConnectorContract } from '../kit/contract.js';
import { asOf } from '../../src/world/index.js';
import { __camel__Connector } from './index.js';
import type { __Pascal__Config } from './manifest.js';
import { __camel__Sandbox } from './sandbox/server.js';

const page = (name: string) => (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: { items: unknown[] } }).data.items;
const uscc = '91320505MA1MXXQ07T';

export const __camel__Contract: ConnectorContract<__Pascal__Config> = {
  connector: __camel__Connector,
  sandbox: __camel__Sandbox,
  fixtures: [
    {
      name: 'two months',
      stream: 'records',
      uscc,
      records: page('records-page'),
      expected: [
        { ok: true, records: [{ entity: 'socialInsuranceMonth', externalId: `${uscc}:2026-09`, fields: { month: '2026-09-01', insuredHeadcount: 23, contributionsPaidFen: '4123050' } }] },
        { ok: true, records: [{ entity: 'socialInsuranceMonth', externalId: `${uscc}:2026-10`, fields: { month: '2026-10-01', insuredHeadcount: 21, contributionsPaidFen: '3770200' } }] },
      ],
    },
  ],
  /** What the store must hold after a complete sync: the canonical records of the upstream's facts as of `clock`. */
  expected: (enterprise, clock) =>
    asOf(enterprise.socialInsuranceMonths, clock).map((m) => ({
      entity: 'socialInsuranceMonth' as const,
      externalId: m.externalId,
      fields: { month: m.month, insuredHeadcount: m.insuredHeadcount, contributionsPaidFen: m.contributionsPaidFen },
    })),
};
