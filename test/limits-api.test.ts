import { sql } from 'kysely';
import { seedDemo } from './support/demo.js';
import { startTestHub, type GraphQLClient, type GraphQLResponse, type TestHub } from './support/hub.js';
import { bookLoans } from './support/loans.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * Limit actions and the portfolio over HTTP, as the post-loan screens use them: a line is
 * frozen, reduced or unfrozen only when a second user approves what a first proposed, and
 * the book is read by grade, industry and region.
 */
let testStore: TestStore;
let hub: TestHub;
let ann: GraphQLClient; // ANALYST: proposes
let rita: GraphQLClient; // RISK_MANAGER: proposes and decides
let rob: GraphQLClient; // RISK_MANAGER
let loanIds: string[];

beforeAll(async () => {
  testStore = await openTestStore();
  await seedDemo(testStore.store, 20);
  hub = await startTestHub(testStore.store);
  ann = hub.as('ann', 'ANALYST');
  rita = hub.as('rita', 'RISK_MANAGER');
  rob = hub.as('rob', 'RISK_MANAGER');
  const db = testStore.store.db;
  const enterprises = (await db.selectFrom('enterprise').select('id').where('source', '=', 'registry').orderBy('id').execute()).map((row) => row.id);
  // 300,000.00 drawn on lines of 800,000.00.
  await bookLoans(db, enterprises.slice(0, 6), { amountFen: 30_000_000n, limitFen: 80_000_000n, now: hub.now() });
  const loans = await ann.query<{ loans: { totalCount: number; edges: { node: { id: string } }[] } }>('{ loans(first: 10) { totalCount edges { node { id } } } }');
  loanIds = loans.data!.loans.edges.map((edge) => edge.node.id);
  expect(loans.data!.loans.totalCount).toBe(6);
}, 120_000);

afterAll(async () => {
  await hub?.stop();
  await testStore?.dispose();
});

const ACTION = 'id kind status newLimit { amount } reason proposedBy decidedBy decisionNote loan { id status limit { amount } }';
const FREEZE = `mutation($loanId: ID!, $reason: String!) { freezeLimit(loanId: $loanId, reason: $reason) { ${ACTION} } }`;
const REDUCE = `mutation($loanId: ID!, $newLimit: Decimal!, $reason: String!) { reduceLimit(loanId: $loanId, newLimit: $newLimit, reason: $reason) { ${ACTION} } }`;
const UNFREEZE = `mutation($loanId: ID!, $reason: String!) { unfreezeLimit(loanId: $loanId, reason: $reason) { ${ACTION} } }`;
const APPROVE = `mutation($id: ID!, $note: String) { approveLimitAction(id: $id, note: $note) { ${ACTION} } }`;
const REJECT = `mutation($id: ID!, $note: String!) { rejectLimitAction(id: $id, note: $note) { ${ACTION} } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawLimitAction(id: $id) { ${ACTION} } }`;
const LOANS = '{ loans(first: 10) { edges { node { id status limit { amount } limitActions { kind status } } } } }';
type Action = { id: string; kind: string; status: string; newLimit: { amount: string } | null; proposedBy: string; decidedBy: string | null; loan: { id: string; status: string; limit: { amount: string } } };

function ok<T>(response: GraphQLResponse<T>): T {
  expect(response.errors).toBeUndefined();
  return response.data!;
}
const code = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;
type LoanView = { id: string; status: string; limit: { amount: string }; limitActions: { kind: string; status: string }[] };
const loan = async (id: string) => ok(await rita.query<{ loans: { edges: { node: LoanView }[] } }>(LOANS)).loans.edges.map((edge) => edge.node).find((node) => node.id === id)!;
const audit = async (action: string) => (await testStore.store.db.selectFrom('auditEvent').select(['actor', 'subjectType']).where('action', '=', action).execute());

describe('limit actions', () => {
  it('change a line only when a second user approves what the first proposed', async () => {
    const proposed = ok(await ann.query<{ freezeLimit: Action }>(FREEZE, { loanId: loanIds[0], reason: '被列为失信被执行人' })).freezeLimit;
    expect(proposed).toMatchObject({ kind: 'FREEZE', status: 'PROPOSED', proposedBy: 'ann', decidedBy: null, loan: { status: 'ACTIVE' } });
    expect(await audit('PROPOSE_FREEZE_LIMIT')).toEqual([{ actor: 'ann', subjectType: 'LimitAction' }]);

    expect(code(await ann.query(APPROVE, { id: proposed.id }))).toBe('FORBIDDEN');
    const approved = ok(await rita.query<{ approveLimitAction: Action }>(APPROVE, { id: proposed.id, note: '同意冻结' })).approveLimitAction;
    expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: 'rita', decisionNote: '同意冻结', loan: { status: 'FROZEN', limit: { amount: '800000.00' } } });
    expect(await audit('FREEZE_LIMIT')).toEqual([{ actor: 'rita', subjectType: 'Loan' }]);
    expect(code(await rob.query(APPROVE, { id: proposed.id }))).toBe('INVALID_STATE');
  });

  it('are never decided by their maker, whatever the role', async () => {
    const proposed = ok(await rita.query<{ unfreezeLimit: Action }>(UNFREEZE, { loanId: loanIds[0], reason: '已结清执行案件' })).unfreezeLimit;
    const refused = await rita.query(APPROVE, { id: proposed.id });
    expect(code(refused)).toBe('FORBIDDEN');
    expect(refused.errors![0]!.message).toContain('maker-checker');
    expect((await loan(loanIds[0]!)).status).toBe('FROZEN');
    // The store refuses it too, whatever path writes.
    await expect(sql`UPDATE limit_action SET status = 'APPROVED', decided_by = proposed_by, decided_at = ${hub.now()} WHERE id = ${Buffer.from(proposed.id, 'base64url').toString().split(':')[1]}`.execute(testStore.store.db)).rejects.toThrow(/checker_is_not_maker/);
    expect(ok(await rob.query<{ approveLimitAction: Action }>(APPROVE, { id: proposed.id })).approveLimitAction.loan.status).toBe('ACTIVE');
  });

  it('reduce a line to a lower limit, not below what is drawn; bad proposals change nothing', async () => {
    const before = await testStore.store.db.selectFrom('limitAction').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(code(await ann.query(REDUCE, { loanId: loanIds[1], newLimit: '800000.00', reason: '销售下滑' }))).toBe('BAD_USER_INPUT');
    expect(code(await ann.query(REDUCE, { loanId: loanIds[1], newLimit: '299999.99', reason: '销售下滑' }))).toBe('BAD_USER_INPUT');
    expect(code(await ann.query(REDUCE, { loanId: loanIds[1], newLimit: '5e5', reason: '销售下滑' }))).toBe('BAD_USER_INPUT');
    expect(code(await ann.query(REDUCE, { loanId: loanIds[1], newLimit: '500000.00', reason: '   ' }))).toBe('BAD_USER_INPUT');
    expect(code(await ann.query(UNFREEZE, { loanId: loanIds[1], reason: '无' }))).toBe('INVALID_STATE');
    expect(code(await ann.query(FREEZE, { loanId: 'TG9hbjo5OTk5OTk', reason: '无' }))).toBe('NOT_FOUND');
    expect(code(await hub.as('dave', 'DATA_ENGINEER').query(FREEZE, { loanId: loanIds[1], reason: '无' }))).toBe('FORBIDDEN');
    expect(await testStore.store.db.selectFrom('limitAction').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).toEqual(before);

    const proposed = ok(await ann.query<{ reduceLimit: Action }>(REDUCE, { loanId: loanIds[1], newLimit: '500000.00', reason: '近三月开票销售额下降 35%' })).reduceLimit;
    expect(proposed.newLimit).toEqual({ amount: '500000.00' });
    // One proposal at a time per loan.
    expect(code(await rita.query(FREEZE, { loanId: loanIds[1], reason: '另案' }))).toBe('INVALID_STATE');
    const approved = ok(await rita.query<{ approveLimitAction: Action }>(APPROVE, { id: proposed.id })).approveLimitAction;
    expect(approved.loan).toMatchObject({ status: 'ACTIVE', limit: { amount: '500000.00' } });
    expect((await loan(loanIds[1]!)).limitActions).toEqual([{ kind: 'REDUCE', status: 'APPROVED' }]);
  });

  it('are rejected with a note, or withdrawn by their maker only', async () => {
    const first = ok(await ann.query<{ freezeLimit: Action }>(FREEZE, { loanId: loanIds[2], reason: '法定代表人变更' })).freezeLimit;
    expect(code(await rob.query(REJECT, { id: first.id, note: '' }))).toBe('BAD_USER_INPUT');
    expect(ok(await rob.query<{ rejectLimitAction: Action }>(REJECT, { id: first.id, note: '变更系正常换届' })).rejectLimitAction).toMatchObject({ status: 'REJECTED', decidedBy: 'rob', loan: { status: 'ACTIVE' } });

    const second = ok(await ann.query<{ freezeLimit: Action }>(FREEZE, { loanId: loanIds[2], reason: '再次核查' })).freezeLimit;
    expect(code(await rita.query(WITHDRAW, { id: second.id }))).toBe('FORBIDDEN');
    expect(ok(await ann.query<{ withdrawLimitAction: Action }>(WITHDRAW, { id: second.id })).withdrawLimitAction).toMatchObject({ status: 'WITHDRAWN', decidedBy: null });
    expect(code(await rita.query(APPROVE, { id: second.id }))).toBe('INVALID_STATE');
    expect((await loan(loanIds[2]!)).status).toBe('ACTIVE');

    const inbox = ok(await rita.query<{ limitActions: { totalCount: number } }>('{ limitActions(filter: { status: PROPOSED }) { totalCount } }')).limitActions;
    expect(inbox.totalCount).toBe(0);
  });
});

describe('the portfolio', () => {
  type Slice = { key: string; loans: number; enterprises: number; exposure: { amount: string } };
  type Portfolio = {
    portfolio: { loans: number; enterprises: number; exposure: { amount: string }; byGrade: Slice[]; byIndustry: Slice[]; byRegion: Slice[]; openAlerts: { severity: string; count: number }[]; gradeMigration: { from: string; to: string; loans: number; exposure: { amount: string } }[] };
  };
  const PORTFOLIO = `query($from: DateTime!) { portfolio {
    loans enterprises exposure { amount }
    byGrade { key loans enterprises exposure { amount } } byIndustry { key loans enterprises exposure { amount } } byRegion { key loans enterprises exposure { amount } }
    openAlerts { severity count } gradeMigration(from: $from) { from to loans exposure { amount } } } }`;
  const sum = (slices: { loans: number; exposure: { amount: string } }[]) => ({ loans: slices.reduce((n, s) => n + s.loans, 0), exposure: slices.reduce((n, s) => n + Number(s.exposure.amount.replace('.', '')), 0) });

  it('slices the live book by grade, industry and region, each adding up to the whole', async () => {
    const { portfolio } = ok(await rita.query<Portfolio>(PORTFOLIO, { from: '2026-07-01T00:00:00Z' }));
    // Lines of 800,000.00 except the one reduced to 500,000.00 above.
    expect(portfolio).toMatchObject({ loans: 6, enterprises: 6, exposure: { amount: '4500000.00' } });
    for (const slices of [portfolio.byGrade, portfolio.byIndustry, portfolio.byRegion, portfolio.gradeMigration]) expect(sum(slices)).toEqual({ loans: 6, exposure: 450_000_000 });
    expect(portfolio.byGrade.every((slice) => ['A', 'B', 'C', 'D', 'E', 'UNRATED'].includes(slice.key))).toBe(true);
    expect(portfolio.openAlerts.map((row) => row.severity)).toEqual(['CRITICAL', 'WARNING', 'INFO']);
  });

  it('is for risk managers; a migration needs from before to', async () => {
    expect(code(await ann.query(PORTFOLIO, { from: '2026-07-01T00:00:00Z' }))).toBe('FORBIDDEN');
    expect(code(await rita.query('{ portfolio { gradeMigration(from: "2026-11-01T00:00:00Z", to: "2026-10-01T00:00:00Z") { loans } } }'))).toBe('BAD_USER_INPUT');
  });
});
