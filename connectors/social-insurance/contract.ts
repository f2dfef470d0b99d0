import { asOf } from '../../src/world/index.js';
import { readFileSync } from 'node:fs';
import type { ConnectorContract } from '../kit/contract.js';
import { socialInsuranceConnector } from './index.js';
import type { SocialInsuranceConfig } from './manifest.js';
import { socialInsuranceSandbox } from './sandbox/server.js';

const page = (name: string) => (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: { rows: unknown[] } }).data.rows;
const uscc = '91320505MA1MXXQ07T';

export const socialInsuranceContract: ConnectorContract<SocialInsuranceConfig> = {
  connector: socialInsuranceConnector,
  sandbox: socialInsuranceSandbox,
  fixtures: [
    {
      name: 'two months of contributions',
      stream: 'contributions',
      uscc,
      records: page('contributions-page'),
      expected: [
        { ok: true, records: [{ entity: 'socialInsuranceMonth', externalId: 'SI320505202609000123', fields: { month: '2026-09-01', insuredHeadcount: 23, contributionsPaidFen: '4123050' } }] },
        { ok: true, records: [{ entity: 'socialInsuranceMonth', externalId: 'SI320505202610000123', fields: { month: '2026-10-01', insuredHeadcount: 21, contributionsPaidFen: '3770200' } }] },
      ],
    },
  ],
  expected: (enterprise, clock) =>
    asOf(enterprise.socialInsuranceMonths, clock).map((m) => ({
      entity: 'socialInsuranceMonth' as const,
      externalId: m.externalId,
      fields: { month: m.month, insuredHeadcount: m.insuredHeadcount, contributionsPaidFen: m.contributionsPaidFen },
    })),
};
