import { seedDemo } from './support/demo.js';
import { startTestHub, type TestHub } from './support/hub.js';
import { openTestStore, type TestStore } from './support/store.js';

/** The frontend contract for the profile graph, exercised on the demo portfolio over HTTP. */
let testStore: TestStore;
let hub: TestHub;
const ENTERPRISES = 120;

beforeAll(async () => {
  testStore = await openTestStore();
  await seedDemo(testStore.store, ENTERPRISES);
  hub = await startTestHub(testStore.store);
}, 120_000);

afterAll(async () => {
  await hub.stop();
  await testStore.dispose();
});

const EVERY_FIELD = /* GraphQL */ `
  fragment Money on Money { amount currency }
  fragment Provenance on Provenance { source externalId observedAt }
  query EveryField($first: Int, $after: String) {
    enterprises(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id uscc name legalForm industryCode regionCode status establishedOn
          registeredCapital { ...Money }
          legalRepresentative { id name maskedIdNumber enterprises { role shareRatio enterprise { id } } }
          shareholders {
            shareRatio since subscribedCapital { ...Money }
            holder { __typename ... on Person { id name maskedIdNumber } ... on Enterprise { id uscc name } }
          }
          relatedEnterprises(depth: 2) {
            distance enterprise { id }
            via { from { id } to { id } kind through { __typename ... on Person { id } ... on Enterprise { id } } }
          }
          taxFilings {
            formCode taxType periodStart periodEnd filedOn late zeroFiling
            declaredRevenue { ...Money } taxPayable { ...Money } taxPaid { ...Money } lateFee { ...Money }
            provenance { ...Provenance }
          }
          taxRatings { year grade publishedOn provenance { ...Provenance } }
          courtCases { caseNumber court caseKind cause partyRole amount { ...Money } filedOn status judgmentOn provenance { ...Provenance } }
          enforcements {
            caseNumber court amount { ...Money } outstanding { ...Money } filedOn status closedOn
            dishonestDebtor consumptionRestriction provenance { ...Provenance }
          }
          utilityBills {
            utility accountNumber period consumption unit billed { ...Money } paid { ...Money }
            dueOn paidOn daysOverdue provenance { ...Provenance }
          }
          invoiceMonthly {
            month
            sales { count netAmount { ...Money } tax { ...Money } voidCount redLetterCount }
            purchases { count netAmount { ...Money } tax { ...Money } voidCount redLetterCount }
          }
          dataFreshness { source lastObservedAt }
        }
      }
    }
  }`;

type Money = { amount: string; currency: string };
type Node = Record<string, unknown> & {
  id: string;
  uscc: string;
  shareholders: { shareRatio: number; holder: { __typename: string } }[];
  legalRepresentative: { id: string; maskedIdNumber: string; enterprises: { role: string }[] } | null;
  relatedEnterprises: { distance: number }[];
  taxFilings: { declaredRevenue: Money; provenance: { source: string } }[];
  taxRatings: { grade: string }[];
  courtCases: unknown[];
  enforcements: { dishonestDebtor: boolean }[];
  utilityBills: { consumption: string; billed: Money }[];
  invoiceMonthly: { month: string; sales: { count: number; netAmount: Money }; purchases: { count: number } }[];
  dataFreshness: { source: string; lastObservedAt: string }[];
};
type Page = {
  enterprises: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: Node }[];
  };
};

describe('every contract field on the demo data', () => {
  let nodes: Node[] = [];

  beforeAll(async () => {
    let after: string | null = null;
    do {
      const response: { data?: Page; errors?: unknown[] } = await hub.query<Page>(EVERY_FIELD, { first: 50, after });
      expect(response.errors).toBeUndefined();
      nodes = nodes.concat(response.data!.enterprises.edges.map((edge) => edge.node));
      after = response.data!.enterprises.pageInfo.hasNextPage ? response.data!.enterprises.pageInfo.endCursor : null;
    } while (after);
  }, 120_000);

  it('resolves for every enterprise', () => {
    expect(nodes).toHaveLength(ENTERPRISES);
    for (const node of nodes) {
      expect(node.uscc).toMatch(/^[0-9A-HJ-NP-RTUWXY]{18}$/);
      expect(node.legalRepresentative).not.toBeNull();
      expect(node.legalRepresentative!.maskedIdNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(node.legalRepresentative!.enterprises.map((role) => role.role)).toContain('LEGAL_REPRESENTATIVE');
      const shares = node.shareholders.reduce((sum, holding) => sum + holding.shareRatio, 0);
      expect(shares).toBeCloseTo(1, 6);
    }
  });

  it('has the variety the demo promises', () => {
    const some = (predicate: (node: Node) => boolean) => nodes.some(predicate);
    expect(some((n) => n.shareholders.some((s) => s.holder.__typename === 'Enterprise'))).toBe(true);
    expect(some((n) => n.relatedEnterprises.some((r) => r.distance === 2))).toBe(true);
    expect(some((n) => n.courtCases.length > 0)).toBe(true);
    expect(some((n) => n.enforcements.some((e) => e.dishonestDebtor))).toBe(true);
    expect(some((n) => n.invoiceMonthly.some((m) => m.purchases.count > 0))).toBe(true);
    expect(some((n) => n.taxRatings.some((r) => r.grade === 'D' || r.grade === 'C'))).toBe(true);
    const sources = new Set(nodes.flatMap((n) => n.dataFreshness.map((f) => f.source)));
    expect([...sources].sort()).toEqual(expect.arrayContaining(['court', 'invoice', 'registry', 'tax', 'utility']));
  });

  it('serializes money and quantities as exact decimal strings', () => {
    const amounts = nodes.flatMap((n) => [
      ...n.taxFilings.map((f) => f.declaredRevenue.amount),
      ...n.utilityBills.map((b) => b.billed.amount),
      ...n.invoiceMonthly.map((m) => m.sales.netAmount.amount),
    ]);
    expect(amounts.length).toBeGreaterThan(1000);
    for (const amount of amounts) expect(amount).toMatch(/^-?\d+\.\d{2}$/);
    for (const node of nodes) for (const bill of node.utilityBills) expect(bill.consumption).toMatch(/^\d+(\.\d+)?$/);
  });

  it('gives 36 months of history, latest first', () => {
    const established = nodes.filter((n) => (n.establishedOn as string) < '2023-01-01');
    for (const node of established) {
      const months = node.invoiceMonthly.map((m) => m.month);
      expect(months).toEqual([...months].sort().reverse());
      expect(node.taxFilings.length).toBeGreaterThan(0);
      expect(node.taxFilings[0]!.provenance.source).toBe('tax');
    }
  });
});

describe('enterprise(id, uscc)', () => {
  const PROFILE = 'query($id: ID, $uscc: String) { enterprise(id: $id, uscc: $uscc) { id uscc name } }';

  it('finds the same enterprise by id and by USCC, and null when unknown', async () => {
    const first = await hub.query<Page>('{ enterprises(first: 1) { edges { node { id uscc name } } } }');
    const { id, uscc } = first.data!.enterprises.edges[0]!.node;
    const byUscc = await hub.query(PROFILE, { uscc });
    const byId = await hub.query(PROFILE, { id });
    expect(byUscc.data).toEqual(byId.data);
    expect(byId.data).toMatchObject({ enterprise: { id, uscc } });
    expect((await hub.query(PROFILE, { uscc: uscc.toLowerCase() })).data).toEqual(byId.data);
    const unknown = await hub.query(PROFILE, { uscc: '91350100M000100Y43' });
    expect(unknown).toMatchObject({ status: 200, data: { enterprise: null } });
    expect(unknown.errors).toBeUndefined();
  });

  it.each([
    ['a short code', { uscc: '91350100M000100Y4' }, 'has 17'],
    ['a letter outside the set', { uscc: '91350100M000100I43' }, "'I' at position 16"],
    ['a wrong check character', { uscc: '91350100M000100Y44' }, "check character is '4', expected '3'"],
    ['neither argument', {}, 'exactly one of id and uscc'],
    ['both arguments', { id: 'RW50ZXJwcmlzZToxMA', uscc: '91350100M000100Y43' }, 'exactly one of id and uscc'],
    ['an id that is not ours', { id: 'not-an-id' }, 'not an id issued by this hub'],
    ['the id of another type', { id: Buffer.from('Person:1').toString('base64url') }, 'expected an id of type Enterprise'],
  ])('refuses %s with BAD_USER_INPUT', async (_, variables, message) => {
    const response = await hub.query(PROFILE, variables);
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(message) });
    expect(response.data).toEqual({ enterprise: null });
  });
});

describe('person(id)', () => {
  it('finds a legal representative with every enterprise they hold a role in', async () => {
    const list = await hub.query<Page>('{ enterprises(first: 100) { edges { node { id legalRepresentative { id name } } } } }');
    const people = new Map<string, { name: string; enterprises: Set<string> }>();
    for (const { node } of list.data!.enterprises.edges) {
      const representative = node.legalRepresentative as unknown as { id: string; name: string };
      const entry = people.get(representative.id) ?? { name: representative.name, enterprises: new Set<string>() };
      entry.enterprises.add(node.id);
      people.set(representative.id, entry);
    }
    const [id, expected] = [...people.entries()].sort((a, b) => b[1].enterprises.size - a[1].enterprises.size)[0]!;
    const response = await hub.query<{ person: { name: string; enterprises: { role: string; enterprise: { id: string } }[] } }>(
      'query($id: ID!) { person(id: $id) { name enterprises { role shareRatio enterprise { id } } } }',
      { id },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.person.name).toBe(expected.name);
    const represented = response.data!.person.enterprises.filter((r) => r.role === 'LEGAL_REPRESENTATIVE').map((r) => r.enterprise.id);
    expect(new Set(represented)).toEqual(expect.objectContaining(expected.enterprises));
    for (const enterprise of expected.enterprises) expect(represented).toContain(enterprise);
  });

  it('refuses an enterprise id where a person id is expected', async () => {
    const response = await hub.query('query($id: ID!) { person(id: $id) { name } }', { id: Buffer.from('Enterprise:1').toString('base64url') });
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('expected an id of type Person') });
  });
});

describe('enterprises paging', () => {
  const PAGE = /* GraphQL */ `
    query($first: Int, $after: String, $filter: EnterpriseFilter) {
      enterprises(first: $first, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id regionCode industryCode status name } }
      }
    }`;

  async function pageThrough(filter: Record<string, unknown> | undefined, first: number) {
    const seen: { cursor: string; node: { id: string; regionCode: string; industryCode: string; status: string; name: string } }[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let guard = 0; guard < 1000; guard++) {
      const response: { data?: Page; errors?: unknown[] } = await hub.query<Page>(PAGE, { first, after, filter });
      expect(response.errors).toBeUndefined();
      const connection: Page['enterprises'] = response.data!.enterprises;
      totalCount = connection.totalCount;
      seen.push(...(connection.edges as unknown as typeof seen));
      if (!connection.pageInfo.hasNextPage) break;
      expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)!.cursor);
      after = connection.pageInfo.endCursor;
    }
    return { seen, totalCount };
  }

  it('gives every enterprise exactly once, in a stable order, with stable cursors', async () => {
    const { seen, totalCount } = await pageThrough(undefined, 7);
    expect(totalCount).toBe(ENTERPRISES);
    expect(seen).toHaveLength(ENTERPRISES);
    expect(new Set(seen.map((edge) => edge.node.id)).size).toBe(ENTERPRISES);
    const again = await pageThrough(undefined, 7);
    expect(again.seen).toEqual(seen);
    const bigPages = await pageThrough(undefined, 100);
    expect(bigPages.seen.map((edge) => edge.node.id)).toEqual(seen.map((edge) => edge.node.id));
  });

  it('filters by name, region prefix, industry prefix and status, and pages over the result', async () => {
    const { seen: everything } = await pageThrough(undefined, 100);
    const nodes = everything.map((edge) => edge.node);
    const region = nodes[0]!.regionCode.slice(0, 4);
    const industry = nodes[0]!.industryCode.slice(0, 1);
    const nameFragment = nodes[0]!.name.slice(2, 4);
    const cases: [Record<string, unknown>, (node: (typeof nodes)[number]) => boolean][] = [
      [{ regionCode: region }, (n) => n.regionCode.startsWith(region)],
      [{ industryCode: industry }, (n) => n.industryCode.startsWith(industry)],
      [{ status: 'ACTIVE' }, (n) => n.status === 'ACTIVE'],
      [{ name: nameFragment }, (n) => n.name.includes(nameFragment)],
      [{ regionCode: region, status: 'ACTIVE' }, (n) => n.regionCode.startsWith(region) && n.status === 'ACTIVE'],
      [{ name: '%' }, () => false],
    ];
    for (const [filter, predicate] of cases) {
      const expected = nodes.filter(predicate).map((n) => n.id);
      const { seen, totalCount } = await pageThrough(filter, 5);
      expect(seen.map((edge) => edge.node.id)).toEqual(expected);
      expect(totalCount).toBe(expected.length);
    }
  });

  it.each([
    ['first above 100', { first: 101 }, 'first must be between 1 and 100'],
    ['first below 1', { first: 0 }, 'first must be between 1 and 100'],
    ['a cursor that is not ours', { after: 'bm90LWEtY3Vyc29y' }, 'not a cursor from this list'],
    ['garbage as a cursor', { after: '!!!' }, 'not a cursor from this list'],
    ['a cursor of another list', { after: Buffer.from('cg1:alert:5').toString('base64url') }, 'not a cursor from this list'],
  ])('refuses %s with BAD_USER_INPUT', async (_, variables, message) => {
    const response = await hub.query(PAGE, variables);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining(message) });
  });
});

describe('SQL statements per request', () => {
  const LIST = /* GraphQL */ `
    query($first: Int) {
      enterprises(first: $first) {
        edges { node {
          name
          legalRepresentative { name }
          shareholders { shareRatio holder { __typename ... on Person { name } ... on Enterprise { name } } }
          taxRatings { year grade }
        } }
      }
    }`;

  async function statementsFor(first: number) {
    const before = testStore.store.statementCount();
    const response = await hub.query<Page>(LIST, { first });
    expect(response.errors).toBeUndefined();
    expect(response.data!.enterprises.edges).toHaveLength(first);
    return testStore.store.statementCount() - before;
  }

  it('is one for a profile with its legal representative and shareholders, however the selection is spelled', async () => {
    const first = await hub.query<Page>('{ enterprises(first: 1) { edges { node { uscc } } } }');
    const { uscc } = first.data!.enterprises.edges[0]!.node;
    const spellings = [
      'query($uscc: String) { enterprise(uscc: $uscc) { name legalRepresentative { name } shareholders { holder { __typename } } } }',
      'query($uscc: String) { enterprise(uscc: $uscc) { ...Owners } } fragment Owners on Enterprise { shareholders { shareRatio holder { ... on Person { name } ... on Enterprise { name } } } }',
      'query($uscc: String) { enterprise(uscc: $uscc) { ... on Enterprise { legalRepresentative { name enterprises { role } } } } }',
    ];
    const answers = [];
    for (const query of spellings) {
      const before = testStore.store.statementCount();
      const response = await hub.query(query, { uscc });
      expect(response.errors).toBeUndefined();
      answers.push(response.data);
      // The third spelling also asks for the person's roles: one more statement, for that. Each
      // reads a person's name in clear, which adds the one audit line write.
      expect(testStore.store.statementCount() - before).toBe((query.includes('role') ? 2 : 1) + 1);
    }
    expect(answers[0]).toMatchObject({ enterprise: { legalRepresentative: { name: expect.any(String) } } });
  });

  it('is a fixed number, the same for 10 and for 100 enterprises', async () => {
    const ten = await statementsFor(10);
    const hundred = await statementsFor(100);
    expect(hundred).toBe(ten);
    // Three reads, and one write of the audit lines for the persons read in clear.
    expect(ten).toBe(4);
  });
});
