import { asOf } from '../../src/world/index.js';
import { readFileSync } from 'node:fs';
import type { ConnectorContract } from '../kit/contract.js';
import { utilityConnector } from './index.js';
import type { UtilityConfig } from './manifest.js';
import { utilitySandbox } from './sandbox/server.js';

const page = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: { rows: unknown[] } }).data.rows;
const uscc = '91320505MA1MXXQ07T';

/** Consumption as the store's numeric(14,3) gives it back: "312.5" → "312.500". */
const threeDecimals = (decimal: string) => {
  const [whole, fraction = ''] = decimal.split('.');
  return `${whole}.${fraction.padEnd(3, '0')}`;
};

export const utilityContract: ConnectorContract<UtilityConfig> = {
  connector: utilityConnector,
  sandbox: utilitySandbox,
  fixtures: [
    {
      name: 'electricity: a bill 45 days overdue and unpaid, then one paid on time by auto-debit',
      stream: 'bills',
      uscc,
      records: page('electricity-bills-page'),
      expected: [
        { ok: true, records: [{ entity: 'utilityBill', externalId: '3204718263:2026-07-01', fields: {
          utility: 'ELECTRICITY', accountNumber: '3204718263', period: '2026-07-01', consumption: '21230.000', unit: 'kWh',
          billedFen: '1592250', paidFen: '0', dueOn: '2026-08-20', paidOn: null, daysOverdue: 45 } }] },
        { ok: true, records: [{ entity: 'utilityBill', externalId: '3204718263:2026-09-01', fields: {
          utility: 'ELECTRICITY', accountNumber: '3204718263', period: '2026-09-01', consumption: '18640.000', unit: 'kWh',
          billedFen: '1304800', paidFen: '1304800', dueOn: '2026-10-20', paidOn: '2026-10-08', daysOverdue: 0 } }] },
      ],
    },
    {
      name: 'water: a bill paid in cash',
      stream: 'bills',
      uscc,
      records: page('water-bills-page'),
      expected: [
        { ok: true, records: [{ entity: 'utilityBill', externalId: 'W004718263:2026-09-01', fields: {
          utility: 'WATER', accountNumber: 'W004718263', period: '2026-09-01', consumption: '312.500', unit: 'm3',
          billedFen: '150000', paidFen: '150000', dueOn: '2026-10-20', paidOn: '2026-10-15', daysOverdue: 0 } }] },
      ],
    },
  ],
  expected(enterprise, clock) {
    return asOf(enterprise.utilityBills, clock).map((b) => ({
      entity: 'utilityBill',
      externalId: b.externalId,
      fields: {
        utility: b.utility,
        accountNumber: b.accountNumber,
        period: b.period,
        consumption: threeDecimals(b.consumption),
        unit: b.unit,
        billedFen: b.billedFen,
        paidFen: b.paidFen,
        dueOn: b.dueOn,
        paidOn: b.paidOn,
        daysOverdue: b.daysOverdue,
      },
    }));
  },
};
