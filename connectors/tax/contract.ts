import { asOf } from '../../src/world/index.js';
import { readFileSync } from 'node:fs';
import type { ConnectorContract } from '../kit/contract.js';
import type { CanonicalRecord } from '../../src/ingest/sdk.js';
import { taxConnector } from './index.js';
import type { TaxConfig } from './manifest.js';
import { taxSandbox } from './sandbox/server.js';

const page = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: { records: unknown[] } }).data.records;
const uscc = '91320505MA1MXXQ07T';

export const taxContract: ConnectorContract<TaxConfig> = {
  connector: taxConnector,
  sandbox: taxSandbox,
  fixtures: [
    {
      name: 'returns: VAT, corporate income tax (late, with a late fee), a zero filing not yet filed',
      stream: 'returns',
      uscc,
      records: page('returns-page'),
      expected: [
        { ok: true, records: [{ entity: 'taxFiling', externalId: '10013226000012345678', fields: {
          formCode: '010100', taxType: 'VAT', periodStart: '2026-09-01', periodEnd: '2026-09-30', declaredRevenueFen: '28640000',
          taxPayableFen: '3723200', taxPaidFen: '3723200', lateFeeFen: '0', filedOn: '2026-10-14', late: false, zeroFiling: false } }] },
        { ok: true, records: [{ entity: 'taxFiling', externalId: '10013226000012345679', fields: {
          formCode: '040101', taxType: 'CORPORATE_INCOME', periodStart: '2026-07-01', periodEnd: '2026-09-30', declaredRevenueFen: '81235055',
          taxPayableFen: '2030876', taxPaidFen: '1500000', lateFeeFen: '1234', filedOn: '2026-10-21', late: true, zeroFiling: false } }] },
        { ok: true, records: [{ entity: 'taxFiling', externalId: '10013226000012345680', fields: {
          formCode: '010200', taxType: 'VAT', periodStart: '2026-08-01', periodEnd: '2026-08-31', declaredRevenueFen: '0',
          taxPayableFen: '0', taxPaidFen: '0', lateFeeFen: '0', filedOn: null, late: false, zeroFiling: true } }] },
      ],
    },
    {
      name: 'credit grades for two years',
      stream: 'credit-ratings',
      uscc,
      records: page('credit-ratings-page'),
      expected: [
        { ok: true, records: [{ entity: 'taxRating', externalId: `${uscc}:2025`, fields: { year: 2025, grade: 'B', publishedOn: '2026-04-15' } }] },
        { ok: true, records: [{ entity: 'taxRating', externalId: `${uscc}:2024`, fields: { year: 2024, grade: 'A', publishedOn: '2025-04-16' } }] },
      ],
    },
    {
      name: 'arrears outstanding',
      stream: 'arrears',
      uscc,
      records: page('arrears-page'),
      expected: [
        { ok: true, records: [{ entity: 'taxArrears', externalId: 'QS3205052026000187', fields: {
          authority: '国家税务总局苏州市吴中区税务局', amountFen: '4821007', since: '2026-03-01', status: 'OUTSTANDING', settledOn: null } }] },
      ],
    },
  ],
  expected(enterprise, clock) {
    const records: CanonicalRecord[] = [];
    for (const f of asOf(enterprise.taxFilings, clock)) {
      const { formCode, taxType, periodStart, periodEnd, declaredRevenueFen, taxPayableFen, taxPaidFen, lateFeeFen, filedOn, late, zeroFiling } = f;
      records.push({ entity: 'taxFiling', externalId: f.externalId, fields: { formCode, taxType, periodStart, periodEnd, declaredRevenueFen, taxPayableFen, taxPaidFen, lateFeeFen, filedOn, late, zeroFiling } });
    }
    for (const r of asOf(enterprise.taxRatings, clock)) {
      records.push({ entity: 'taxRating', externalId: r.externalId, fields: { year: r.year, grade: r.grade, publishedOn: r.publishedOn } });
    }
    for (const a of asOf(enterprise.taxArrears, clock)) {
      records.push({ entity: 'taxArrears', externalId: a.externalId, fields: { authority: a.authority, amountFen: a.amountFen, since: a.since, status: a.status, settledOn: a.settledOn } });
    }
    return records;
  },
};
