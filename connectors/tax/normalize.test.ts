import { readFileSync } from 'node:fs';
import { normalizeTax } from './normalize.js';

const fixture = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: { records: Record<string, unknown>[] } }).data.records;
const uscc = '91320505MA1MXXQ07T';

describe('tax normalizer', () => {
  it('turns returns into tax filings with exact fen and ISO days', () => {
    const [vat, incomeTax, zero] = fixture('returns-page').map((raw) => normalizeTax(raw, { uscc, stream: 'returns' }));
    expect(vat).toEqual({
      ok: true,
      records: [
        {
          entity: 'taxFiling',
          externalId: '10013226000012345678',
          fields: {
            formCode: '010100', taxType: 'VAT', periodStart: '2026-09-01', periodEnd: '2026-09-30',
            declaredRevenueFen: '28640000', taxPayableFen: '3723200', taxPaidFen: '3723200', lateFeeFen: '0',
            filedOn: '2026-10-14', late: false, zeroFiling: false,
          },
        },
      ],
    });
    expect(incomeTax).toMatchObject({ ok: true, records: [{ fields: { taxType: 'CORPORATE_INCOME', declaredRevenueFen: '81235055', lateFeeFen: '1234', late: true } }] });
    expect(zero).toMatchObject({ ok: true, records: [{ fields: { filedOn: null, zeroFiling: true } }] });
  });

  it('turns grades and arrears into canonical facts', () => {
    expect(normalizeTax(fixture('credit-ratings-page')[0], { uscc, stream: 'credit-ratings' })).toEqual({
      ok: true,
      records: [{ entity: 'taxRating', externalId: `${uscc}:2025`, fields: { year: 2025, grade: 'B', publishedOn: '2026-04-15' } }],
    });
    expect(normalizeTax(fixture('arrears-page')[0], { uscc, stream: 'arrears' })).toEqual({
      ok: true,
      records: [
        {
          entity: 'taxArrears',
          externalId: 'QS3205052026000187',
          fields: { authority: '国家税务总局苏州市吴中区税务局', amountFen: '4821007', since: '2026-03-01', status: 'OUTSTANDING', settledOn: null },
        },
      ],
    });
  });

  it('accepts an amount drifted to a JSON number when it is exact to the fen', () => {
    const raw = { ...fixture('returns-page')[0], xse: 286400.5 };
    expect(normalizeTax(raw, { uscc, stream: 'returns' })).toMatchObject({ ok: true, records: [{ fields: { declaredRevenueFen: '28640050' } }] });
  });

  it.each([
    ['a renamed field', (r: Record<string, unknown>) => { const { xse, ...rest } = r; return { ...rest, xsje: xse }; }, 'xse'],
    ['an amount with three decimals', (r: Record<string, unknown>) => ({ ...r, ynse: '1.005' }), 'ynse'],
    ['a day that does not exist', (r: Record<string, unknown>) => ({ ...r, skssqz: '20260231' }), 'skssqz'],
    ['an unknown form', (r: Record<string, unknown>) => ({ ...r, sbzlDm: '999999' }), 'sbzlDm'],
    ["another taxpayer's return", (r: Record<string, unknown>) => ({ ...r, nsrsbh: '91350100M000100Y43' }), 'nsrsbh'],
  ])('rejects %s with the reason, keeping the external id', (_, change, field) => {
    const result = normalizeTax(change(fixture('returns-page')[0]!), { uscc, stream: 'returns' });
    expect(result).toMatchObject({ ok: false, externalId: '10013226000012345678', errors: [expect.stringContaining(field)] });
  });

  it('rejects anything that is not a record, and unknown streams', () => {
    for (const raw of [null, 42, 'text', [], {}]) expect(normalizeTax(raw, { uscc, stream: 'returns' }).ok).toBe(false);
    expect(normalizeTax({}, { uscc, stream: 'payroll' })).toEqual({ ok: false, errors: ["stream: the tax connector has no stream 'payroll'"] });
  });
});
