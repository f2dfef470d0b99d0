import { readFileSync } from 'node:fs';
import { parseCapital } from './text.js';
import { normalizeRegistry } from './normalize.js';

const result = (name: string) => (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { Result: unknown }).Result;
const first = (name: string) => (result(name) as Record<string, unknown>[])[0]!;
const uscc = '91320505MA1MXXQ07T';

describe('registry normalizer', () => {
  it('reads capital text exactly, in its unit and currency', () => {
    expect(parseCapital('500万元人民币')).toEqual({ fen: '500000000', currency: 'CNY' });
    expect(parseCapital('1.5亿元人民币')).toEqual({ fen: '15000000000', currency: 'CNY' });
    expect(parseCapital('126.000001万元')).toEqual({ fen: '126000001', currency: 'CNY' });
    expect(parseCapital('30万美元')).toEqual({ fen: '30000000', currency: 'USD' });
    expect(parseCapital('0.0000001万元')).toBeUndefined();
    expect(parseCapital('五百万元')).toBeUndefined();
  });

  it.each([
    ['a renamed field', 'basic', (r: Record<string, unknown>) => { const { Name, ...rest } = r; return { ...rest, EntName: Name }; }, 'Name'],
    ['capital without a number', 'basic', (r: Record<string, unknown>) => ({ ...r, RegistCapi: '人民币' }), 'RegistCapi'],
    ['another enterprise', 'basic', (r: Record<string, unknown>) => ({ ...r, CreditCode: '91350100M000100Y43' }), 'CreditCode'],
    ['an unknown status', 'basic', (r: Record<string, unknown>) => ({ ...r, Status: '迁出' }), 'Status'],
    ['a share over 100%', 'partners-page', (r: Record<string, unknown>) => ({ ...r, StockPercent: '120%' }), 'StockPercent'],
    ['a person shareholder without an ID number', 'partners-page', (r: Record<string, unknown>) => ({ ...r, IdNo: null }), 'StockType'],
    ['a day that does not exist', 'key-persons-page', (r: Record<string, unknown>) => ({ ...r, StartDate: '2016-02-30' }), 'StartDate'],
    ['an unknown change item', 'changes-page', (r: Record<string, unknown>) => ({ ...r, ProjectName: '其他变更' }), 'ProjectName'],
  ])('rejects %s with the reason, keeping the external id', (_, name, change, field) => {
    const raw = name === 'basic' ? (result(name) as Record<string, unknown>) : first(name);
    const stream = name.replace(/-page$/, '');
    expect(normalizeRegistry(change(raw), { uscc, stream })).toMatchObject({ ok: false, externalId: raw.KeyNo, errors: [expect.stringContaining(field)] });
  });

  it('rejects anything that is not a record, and unknown streams', () => {
    for (const raw of [null, 42, 'text', [], {}]) expect(normalizeRegistry(raw, { uscc, stream: 'partners' }).ok).toBe(false);
    expect(normalizeRegistry({}, { uscc, stream: 'annual-reports' })).toEqual({ ok: false, errors: ["stream: the registry connector has no stream 'annual-reports'"] });
  });
});
