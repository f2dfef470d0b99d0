import { readFileSync } from 'node:fs';
import { normalize__Pascal__ } from './normalize.js';

const first = () =>
  (JSON.parse(readFileSync(new URL('./fixtures/records-page.json', import.meta.url), 'utf8')) as { data: { items: Record<string, unknown>[] } }).data.items[0]!;
const uscc = '91320505MA1MXXQ07T';

describe('__id__ normalizer', () => {
  it.each([
    ['a renamed field', (r: Record<string, unknown>) => { const { amount, ...rest } = r; return { ...rest, amountPaid: amount }; }, 'amount'],
    ['an amount with three decimals', (r: Record<string, unknown>) => ({ ...r, amount: '1.005' }), 'amount'],
    ['a month that does not exist', (r: Record<string, unknown>) => ({ ...r, month: '2026-13' }), 'month'],
    ["another enterprise's record", (r: Record<string, unknown>) => ({ ...r, uscc: '91350100M000100Y43' }), 'uscc'],
  ])('rejects %s with the reason, keeping the external id', (_, change, field) => {
    expect(normalize__Pascal__(change(first()), { uscc, stream: 'records' })).toMatchObject({ ok: false, externalId: first().id, errors: [expect.stringContaining(field)] });
  });

  it('rejects anything that is not a record, and unknown streams', () => {
    for (const raw of [null, 42, 'text', [], {}]) expect(normalize__Pascal__(raw, { uscc, stream: 'records' }).ok).toBe(false);
    expect(normalize__Pascal__({}, { uscc, stream: 'other' }).ok).toBe(false);
  });
});
