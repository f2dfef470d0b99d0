import type { Store } from '../src/store/database.js';
import { GraphBuilder, testUscc } from './support/fixtures.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';
import { bookLoans } from './support/loans.js';
import { loadProfilesAsOf } from '../src/store/profiles-as-of.js';

/**
 * A crafted graph (letters are enterprises, P are people, X an enterprise shareholder):
 *   A —P1 shareholder— B —P2 legal rep— C ←holds— D —holds→ E (so C and E share shareholder D)
 *   A —P3 legal rep of A, shareholder of F— F
 *   A holds shares in J; J and B share legal representative P6 (so B stays at distance 1)
 *   A —P4 (relation to A ended)— G; H has no relations
 *   X holds shares in E and K
 */
let testStore: TestStore;
let store: Store;
let hub: TestHub;
const ids: Record<string, string> = {};

beforeAll(async () => {
  testStore = await openTestStore();
  store = testStore.store;
  hub = await startTestHub(store);
  const graph = new GraphBuilder(store.db);
  const letters = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'X'];
  for (const [index, letter] of letters.entries()) ids[letter] = (await graph.enterprise(index + 1, { name: letter })).id;
  const person = async (name: string) => ({ personId: (await graph.person(name)).id });
  const [p1, p2, p3, p4, p6] = [await person('P1'), await person('P2'), await person('P3'), await person('P4'), await person('P6')];
  await graph.relation(p1, ids.A!, 'SHAREHOLDER', { shareRatio: '0.6' });
  await graph.relation(p1, ids.B!, 'SHAREHOLDER', { shareRatio: '1' });
  await graph.relation(p2, ids.B!, 'LEGAL_REPRESENTATIVE');
  await graph.relation(p2, ids.C!, 'LEGAL_REPRESENTATIVE');
  await graph.relation({ enterpriseId: ids.D! }, ids.C!, 'SHAREHOLDER', { shareRatio: '0.5' });
  await graph.relation({ enterpriseId: ids.D! }, ids.E!, 'SHAREHOLDER', { shareRatio: '0.5' });
  await graph.relation(p3, ids.A!, 'LEGAL_REPRESENTATIVE');
  await graph.relation(p3, ids.F!, 'SHAREHOLDER', { shareRatio: '1' });
  await graph.relation({ enterpriseId: ids.A! }, ids.J!, 'SHAREHOLDER', { shareRatio: '1' });
  await graph.relation(p6, ids.J!, 'LEGAL_REPRESENTATIVE');
  await graph.relation(p6, ids.B!, 'SHAREHOLDER', { shareRatio: '0.1' });
  await graph.relation(p4, ids.A!, 'SHAREHOLDER', { shareRatio: '0.4', validTo: '2025-01-01' });
  await graph.relation(p4, ids.G!, 'SHAREHOLDER', { shareRatio: '1' });
  await graph.relation({ enterpriseId: ids.X! }, ids.E!, 'SHAREHOLDER', { shareRatio: '0.5' });
  await graph.relation({ enterpriseId: ids.X! }, ids.K!, 'SHAREHOLDER', { shareRatio: '1' });
});

afterAll(async () => {
  await hub.stop();
  await testStore.dispose();
});

const RELATED = /* GraphQL */ `
  query Related($uscc: String!, $depth: Int) {
    enterprise(uscc: $uscc) {
      relatedEnterprises(depth: $depth) {
        distance
        enterprise { name }
        via { from { name } to { name } kind through { __typename ... on Person { name } ... on Enterprise { name } } }
      }
    }
  }`;

type Related = {
  distance: number;
  enterprise: { name: string };
  via: { from: { name: string }; to: { name: string }; kind: string; through: { name: string } | null }[];
};

async function related(letter: string, depth?: number): Promise<Related[]> {
  const uscc = testUscc(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'X'].indexOf(letter) + 1);
  const response = await hub.query<{ enterprise: { relatedEnterprises: Related[] } }>(RELATED, { uscc, ...(depth ? { depth } : {}) });
  expect(response.errors).toBeUndefined();
  return response.data!.enterprise.relatedEnterprises;
}

const summary = (list: Related[]) => list.map((r) => `${r.enterprise.name}@${r.distance}`);

describe('relatedEnterprises', () => {
  it('defaults to depth 1: shared shareholders, shared persons and holdings, nearest first', async () => {
    const list = await related('A');
    expect(summary(list)).toEqual(['B@1', 'F@1', 'J@1']);
    const b = list.find((r) => r.enterprise.name === 'B')!;
    expect(b.via).toEqual([{ from: { name: 'A' }, to: { name: 'B' }, kind: 'SHARED_SHAREHOLDER', through: { __typename: 'Person', name: 'P1' } }]);
    const f = list.find((r) => r.enterprise.name === 'F')!;
    expect(f.via[0]).toMatchObject({ kind: 'SHARED_PERSON', through: { name: 'P3' } });
    const j = list.find((r) => r.enterprise.name === 'J')!;
    expect(j.via[0]).toMatchObject({ kind: 'HOLDS_SHARES_IN', through: null });
  });

  it('reaches further with depth, each enterprise once at its shortest distance, with the path', async () => {
    expect(summary(await related('A', 2))).toEqual(['B@1', 'F@1', 'J@1', 'C@2']);
    const three = await related('A', 3);
    expect(summary(three)).toEqual(['B@1', 'F@1', 'J@1', 'C@2', 'D@3', 'E@3']);
    const d = three.find((r) => r.enterprise.name === 'D')!;
    expect(d.via.map((hop) => `${hop.from.name}-${hop.kind}-${hop.to.name}`)).toEqual([
      'A-SHARED_SHAREHOLDER-B',
      'B-SHARED_LEGAL_REPRESENTATIVE-C',
      'C-SHARES_HELD_BY-D',
    ]);
  });

  it('ignores ended relations and never lists the enterprise itself', async () => {
    const names = summary(await related('A', 3)).map((entry) => entry.split('@')[0]);
    expect(names).not.toContain('G');
    expect(names).not.toContain('A');
    expect(await related('H', 3)).toEqual([]);
  });

  it('links enterprises through a shared enterprise shareholder', async () => {
    const list = await related('E');
    expect(summary(list)).toEqual(['C@1', 'D@1', 'K@1', 'X@1']);
    expect(list.find((r) => r.enterprise.name === 'K')!.via[0]).toMatchObject({
      kind: 'SHARED_SHAREHOLDER',
      through: { __typename: 'Enterprise', name: 'X' },
    });
    expect(list.find((r) => r.enterprise.name === 'C')!.via[0]).toMatchObject({
      kind: 'SHARED_SHAREHOLDER',
      through: { __typename: 'Enterprise', name: 'D' },
    });
    expect(list.find((r) => r.enterprise.name === 'D')!.via[0]).toMatchObject({ kind: 'SHARES_HELD_BY', through: null });
  });

  it('refuses a depth outside 1..3', async () => {
    for (const depth of [0, 4, -1]) {
      const response = await hub.query(RELATED, { uscc: testUscc(1), depth });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toContain('depth must be 1, 2 or 3');
    }
  });
});

describe('exposure to a group under common control', () => {
  it("sums the bank's lines open at T to the enterprises a 50% holder controls together, for the limit's caps", async () => {
    // B is held 100% by P1, who holds 60% of A; A holds J outright; D holds half of C and of E, X half of E and all of K.
    await bookLoans(store.db, [ids.B!], { amountFen: 50_000_000n, now: hub.now() });
    await bookLoans(store.db, [ids.K!], { amountFen: 30_000_000n, now: hub.now() });
    await bookLoans(store.db, [ids.E!], { amountFen: 10_000_000n, now: hub.now() });
    const exposureOf = async (letter: string, at: string) => (await loadProfilesAsOf(store.db, [ids[letter]!], new Date(at))).get(ids[letter]!)!.exposure;
    expect(await exposureOf('A', '2026-11-01T00:00:00Z')).toEqual({ ownLinesFen: 0n, groupLinesFen: 50_000_000n, groupEnterprises: 3 });
    expect(await exposureOf('B', '2026-11-01T00:00:00Z')).toEqual({ ownLinesFen: 50_000_000n, groupLinesFen: 50_000_000n, groupEnterprises: 2 });
    expect(await exposureOf('E', '2026-11-01T00:00:00Z')).toEqual({ ownLinesFen: 10_000_000n, groupLinesFen: 40_000_000n, groupEnterprises: 5 });
    expect(await exposureOf('H', '2026-11-01T00:00:00Z')).toEqual({ ownLinesFen: 0n, groupLinesFen: 0n, groupEnterprises: 1 });
    // As the hub knew it: lines open from 2026-06-01, the holdings observed on 2026-10-01.
    expect(await exposureOf('E', '2026-07-01T00:00:00Z')).toEqual({ ownLinesFen: 10_000_000n, groupLinesFen: 10_000_000n, groupEnterprises: 1 });
    expect(await exposureOf('E', '2026-05-01T00:00:00Z')).toEqual({ ownLinesFen: 0n, groupLinesFen: 0n, groupEnterprises: 1 });
  });
});
