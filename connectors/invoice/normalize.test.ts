import { readFileSync } from 'node:fs';
import { normalizeInvoice } from './normalize.js';

const fixture = (name: string) =>
  (JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { data: { list: Record<string, unknown>[] } }).data.list;
const uscc = '91320505MA1MXXQ07T';
type Raw = Record<string, unknown>;

describe('invoice normalizer', () => {
  it('accepts amounts drifted to JSON numbers when they are exact to the fen', () => {
    const raw = { ...fixture('sales-page')[2], hjje: -28640, hjse: -3723.2, jshj: -32363.2 };
    expect(normalizeInvoice(raw, { uscc, stream: 'sales' })).toMatchObject({ ok: true, records: [{ fields: { netAmountFen: '-2864000', taxFen: '-372320' } }] });
  });

  it('maps every kind code the platform uses', () => {
    const kinds = Object.fromEntries(['004', '007', '026'].map((code) => [code, normalizeInvoice({ ...fixture('sales-page')[0], fplxdm: code }, { uscc, stream: 'sales' })]));
    expect(kinds).toMatchObject({ '004': { records: [{ fields: { kind: 'SPECIAL' } }] }, '007': { records: [{ fields: { kind: 'NORMAL' } }] }, '026': { records: [{ fields: { kind: 'NORMAL' } }] } });
    expect(normalizeInvoice({ ...fixture('sales-page')[2], fplxdm: '082' }, { uscc, stream: 'sales' })).toMatchObject({ records: [{ fields: { kind: 'DIGITAL' } }] });
  });

  it.each([
    ['a renamed field', (r: Raw) => { const { hjje, ...rest } = r; return { ...rest, je: hjje }; }, 'hjje'],
    ['amounts that do not add up', (r: Raw) => ({ ...r, jshj: '32363.21' }), 'jshj'],
    ['an amount with three decimals', (r: Raw) => ({ ...r, hjse: '3723.201' }), 'hjse'],
    ["another seller's invoice", (r: Raw) => ({ ...r, xfsh: '91350100M000100Y43' }), 'xfsh'],
    ['a day that does not exist', (r: Raw) => ({ ...r, kprq: '20260231' }), 'kprq'],
    ['an unknown status code', (r: Raw) => ({ ...r, fpzt: '1' }), 'fpzt'],
    ['an unknown kind code', (r: Raw) => ({ ...r, fplxdm: '999' }), 'fplxdm'],
    ['a fully digital kind on a paper number', (r: Raw) => ({ ...r, fplxdm: '082' }), 'fphm'],
    ['a normal invoice naming an original', (r: Raw) => ({ ...r, yfphm: '00012340' }), 'yfphm'],
  ])('rejects %s with the reason, keeping the external id', (_, change, field) => {
    const result = normalizeInvoice(change(fixture('sales-page')[0]!), { uscc, stream: 'sales' });
    expect(result).toMatchObject({ ok: false, externalId: '3205260001-00012345', errors: [expect.stringContaining(field)] });
  });

  it.each([
    ['without the invoice it reverses', (r: Raw) => ({ ...r, yfphm: null }), 'yfphm'],
    ['with positive amounts', (r: Raw) => ({ ...r, hjje: '28640.00', hjse: '3723.20', jshj: '32363.20' }), 'hjje'],
  ])('rejects a red-letter invoice %s, keeping the external id', (_, change, field) => {
    const result = normalizeInvoice(change(fixture('sales-page')[2]!), { uscc, stream: 'sales' });
    expect(result).toMatchObject({ ok: false, externalId: '26322000000000001234', errors: [expect.stringContaining(field)] });
  });

  it('rejects anything that is not a record, and unknown streams', () => {
    for (const raw of [null, 42, 'text', [], {}]) expect(normalizeInvoice(raw, { uscc, stream: 'sales' }).ok).toBe(false);
    expect(normalizeInvoice(fixture('sales-page')[0], { uscc, stream: 'purchases' })).toEqual({ ok: false, errors: ["stream: the invoice connector has no stream 'purchases'"] });
  });
});
