import { readFileSync } from 'node:fs';
import { normalizeTax } from './normalize.js';

const fixture = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: { records: Record<string, unknown>[] } }).data.records;
const uscc = '91320505MA1MXXQ07T';

describe('tax normalizer', () => {
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
