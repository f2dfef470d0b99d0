import { readFileSync } from 'node:fs';
import { normalizeUtility } from './normalize.js';

const fixture = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: { rows: Record<string, unknown>[] } }).data.rows;
const uscc = '91320505MA1MXXQ07T';
const paidBill = () => fixture('electricity-bills-page')[1]!;

describe('utility normalizer', () => {
  it('accepts amounts and consumption drifted to JSON numbers when they are exact', () => {
    const raw = { ...paidBill(), ysje: 13048.5, sjje: 0, yl: 18640.25 };
    expect(normalizeUtility(raw, { uscc, stream: 'bills' })).toMatchObject({
      ok: true,
      records: [{ fields: { billedFen: '1304850', paidFen: '0', consumption: '18640.250' } }],
    });
  });

  it.each([
    ['0', '0.000'],
    ['12.05', '12.050'],
    ['7.125', '7.125'],
  ])('writes consumption %s as the store gives it back, %s', (yl, consumption) => {
    expect(normalizeUtility({ ...paidBill(), yl }, { uscc, stream: 'bills' })).toMatchObject({ ok: true, records: [{ fields: { consumption } }] });
  });

  it.each([
    ['a renamed field', (r: Record<string, unknown>) => { const { yl, ...rest } = r; return { ...rest, ydl: yl }; }, 'yl'],
    ['consumption with four decimals', (r: Record<string, unknown>) => ({ ...r, yl: '18640.0001' }), 'yl'],
    ['an amount with three decimals', (r: Record<string, unknown>) => ({ ...r, ysje: '1.005' }), 'ysje'],
    ['a month that does not exist', (r: Record<string, unknown>) => ({ ...r, zq: '202613' }), 'zq'],
    ['a day that does not exist', (r: Record<string, unknown>) => ({ ...r, dqrq: '20261131' }), 'dqrq'],
    ['an unknown kind of utility', (r: Record<string, unknown>) => ({ ...r, ydlb: 'HEAT' }), 'ydlb'],
    ['electricity metered in m3', (r: Record<string, unknown>) => ({ ...r, jldw: 'm3' }), 'jldw'],
    ['a paid bill without a payment date', (r: Record<string, unknown>) => ({ ...r, jfrq: null }), 'jfrq'],
    ['days overdue as a fraction', (r: Record<string, unknown>) => ({ ...r, yqts: 1.5 }), 'yqts'],
  ])('rejects %s with the reason, keeping the external id', (_, change, field) => {
    const result = normalizeUtility(change(paidBill()), { uscc, stream: 'bills' });
    expect(result).toMatchObject({ ok: false, externalId: '3204718263:2026-09-01', errors: [expect.stringContaining(field)] });
  });

  it('rejects anything that is not a record, and unknown streams', () => {
    for (const raw of [null, 42, 'text', [], {}]) expect(normalizeUtility(raw, { uscc, stream: 'bills' }).ok).toBe(false);
    expect(normalizeUtility({}, { uscc, stream: 'accounts' })).toEqual({ ok: false, errors: ["stream: the utility connector has no stream 'accounts'"] });
  });
});
