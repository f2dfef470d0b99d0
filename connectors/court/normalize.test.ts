import { readFileSync } from 'node:fs';
import { normalizeCourt } from './normalize.js';

const fixture = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { result: { items: Record<string, unknown>[] } }).result.items;
const uscc = '91320505MA1MXXQ07T';
const defendantCase = () => fixture('cases-page')[2]!;
const representativeRestricted = () => fixture('enforcements-page')[2]!;

describe('court normalizer', () => {
  it('accepts amounts drifted to JSON numbers when they are exact to the fen', () => {
    expect(normalizeCourt({ ...defendantCase(), bdje: 386520.5 }, { uscc, stream: 'cases' })).toMatchObject({
      ok: true,
      records: [{ fields: { amountFen: '38652050' } }],
    });
    expect(normalizeCourt({ ...representativeRestricted(), zxbd: 412300, wlje: 1234.56 }, { uscc, stream: 'enforcements' })).toMatchObject({
      ok: true,
      records: [{ fields: { amountFen: '41230000', outstandingFen: '123456' } }],
    });
  });

  it.each([
    ['a renamed field', (r: Record<string, unknown>) => { const { ah, ...rest } = r; return { ...rest, anhao: ah }; }, 'ah'],
    ['an amount with three decimals', (r: Record<string, unknown>) => ({ ...r, bdje: '386520.005' }), 'bdje'],
    ['a day that does not exist', (r: Record<string, unknown>) => ({ ...r, larq: '20260231' }), 'larq'],
    ['an unknown party role', (r: Record<string, unknown>) => ({ ...r, dsrlx: '申请人' }), 'dsrlx'],
    ['an unknown case kind', (r: Record<string, unknown>) => ({ ...r, ajlx: '国家赔偿' }), 'ajlx'],
    ['a judgment before the filing', (r: Record<string, unknown>) => ({ ...r, ajzt: '已结案', cprq: '20260701' }), 'cprq'],
  ])('rejects a case with %s, giving the reason and keeping the external id', (_, change, field) => {
    const result = normalizeCourt(change(defendantCase()), { uscc, stream: 'cases' });
    expect(result).toMatchObject({ ok: false, externalId: '5d1f0c8e2b7a4c19a3e6f0d2b8c47a91', errors: [expect.stringContaining(field)] });
  });

  it.each([
    ['a renamed amount', (r: Record<string, unknown>) => { const { zxbd, ...rest } = r; return { ...rest, zxje: zxbd }; }, 'zxbd'],
    ['a malformed ID number', (r: Record<string, unknown>) => ({ ...r, sfzhm: '3205051978061235' }), 'sfzhm'],
    ['a person without a name', (r: Record<string, unknown>) => { const { bzxrxm: _, ...rest } = r; return rest; }, 'bzxrxm'],
    ['an unknown subject type', (r: Record<string, unknown>) => ({ ...r, bzxrlx: '个体工商户' }), 'bzxrlx'],
    ['a flag that is not 1 or 0', (r: Record<string, unknown>) => ({ ...r, xgbz: 'Y' }), 'xgbz'],
    ['a closing before the filing', (r: Record<string, unknown>) => ({ ...r, ajzt: '已结案', jarq: '20260301' }), 'jarq'],
  ])('rejects an enforcement with %s, giving the reason and keeping the external id', (_, change, field) => {
    const result = normalizeCourt(change(representativeRestricted()), { uscc, stream: 'enforcements' });
    expect(result).toMatchObject({ ok: false, externalId: 'f19d3b7c6a2e4058b1c9d7e3a5f20b64', errors: [expect.stringContaining(field)] });
  });

  it('rejects anything that is not a record, and unknown streams', () => {
    for (const stream of ['cases', 'enforcements']) {
      for (const raw of [null, 42, 'text', [], {}]) expect(normalizeCourt(raw, { uscc, stream }).ok).toBe(false);
    }
    expect(normalizeCourt({}, { uscc, stream: 'dishonest-debtors' })).toEqual({ ok: false, errors: ["stream: the court connector has no stream 'dishonest-debtors'"] });
  });
});
