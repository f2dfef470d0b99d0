import { readFileSync } from 'node:fs';
import { normalizeSocialInsurance } from './normalize.js';

const first = () =>
  (JSON.parse(readFileSync(new URL('./fixtures/contributions-page.json', import.meta.url), 'utf8')) as { data: { rows: Record<string, unknown>[] } }).data.rows[0]!;
const uscc = '91320505MA1MXXQ07T';
const context = { uscc, stream: 'contributions' };

describe('social-insurance normalizer', () => {
  it('accepts a headcount and an amount drifted to JSON numbers', () => {
    expect(normalizeSocialInsurance({ ...first(), cbrs: 23, sjjfje: 41230.5 }, context)).toMatchObject({
      ok: true,
      records: [{ fields: { insuredHeadcount: 23, contributionsPaidFen: '4123050' } }],
    });
  });

  it.each([
    ['a renamed field', (r: Record<string, unknown>) => { const { sjjfje, ...rest } = r; return { ...rest, jfje: sjjfje }; }, 'sjjfje'],
    ['a fractional headcount', (r: Record<string, unknown>) => ({ ...r, cbrs: '2.5' }), 'cbrs'],
    ['an amount with three decimals', (r: Record<string, unknown>) => ({ ...r, sjjfje: '1.005' }), 'sjjfje'],
    ['a month that does not exist', (r: Record<string, unknown>) => ({ ...r, fkssq: '202613' }), 'fkssq'],
    ["another unit's record", (r: Record<string, unknown>) => ({ ...r, tyshxydm: '91350100M000100Y43' }), 'tyshxydm'],
  ])('rejects %s with the reason, keeping the external id', (_, change, field) => {
    expect(normalizeSocialInsurance(change(first()), context)).toMatchObject({ ok: false, externalId: first().jfjlbh, errors: [expect.stringContaining(field)] });
  });

  it('rejects anything that is not a record, and unknown streams', () => {
    for (const raw of [null, 42, 'text', [], {}]) expect(normalizeSocialInsurance(raw, context).ok).toBe(false);
    expect(normalizeSocialInsurance({}, { uscc, stream: 'pensions' })).toEqual({ ok: false, errors: ["stream: the social-insurance connector has no stream 'pensions'"] });
  });
});
