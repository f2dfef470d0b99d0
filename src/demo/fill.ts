import { monotonicMs } from '../common/clock.js';
import { hashPersonId, maskIdNumber } from '../profile/person.js';
import { sql } from 'kysely';
import { sources } from '../../connectors/index.js';
import type { SandboxHandle } from '../../connectors/kit/sandbox.js';
import { systemActor } from '../audit/audit.js';
import type { IngestService } from '../ingest/service.js';
import type { SyncRunRow } from '../store/ingest-records.js';
import type { Db, Store } from '../store/database.js';
import type { Portfolio } from '../world/index.js';

/**
 * The demo as the bank would run it: the upstreams are the sandboxes, on loopback, serving the
 * generated portfolio; the bank knows its enterprises by USCC and name and holds their
 * consents; everything else comes in through the connectors.
 */
export interface DemoUpstreams {
  /** Each source's connector configuration, pointing at its sandbox. */
  configs: Map<string, unknown>;
  sandboxes: Map<string, SandboxHandle>;
  close(): Promise<void>;
}

/** The sandboxes, serving the portfolio as of `asOf` (its end by default). */
export async function startDemoUpstreams(portfolio: Portfolio, faults: Record<string, number>, asOf?: string): Promise<DemoUpstreams> {
  const configs = new Map<string, unknown>();
  const sandboxes = new Map<string, SandboxHandle>();
  const close = async () => {
    await Promise.all([...sandboxes.values()].map((sandbox) => sandbox.close()));
  };
  try {
    for (const { connector, sandbox } of sources) {
      const { id } = connector.manifest;
      const rate = faults[id];
      const handle = await sandbox.start({ portfolio, ...(rate ? { faults: { rate } } : {}) });
      if (asOf) handle.setClock(asOf);
      sandboxes.set(id, handle);
      configs.set(id, sandbox.config(handle.url));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { configs, sandboxes, close };
}

/**
 * Enters the portfolio's enterprises as the bank knows them before any sync — USCC, name, and
 * the division code the USCC carries (characters 3 to 8) — with consents for every source's
 * scope, and the legal representatives' own authorizations of the pulls that bring their data
 * (everyone who is one in the story), held since the portfolio's history starts (the demo's
 * older loans were originated under them) and valid until a year after its end. Does nothing
 * for enterprises already in the store.
 */
export async function registerDemoEnterprises(store: Store, portfolio: Portfolio, now: Date, personIdSalt: string): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    for (let start = 0; start < portfolio.enterprises.length; start += 500) {
      const batch = portfolio.enterprises.slice(start, start + 500);
      const inserted = await tx
        .insertInto('enterprise')
        .values(
          batch.map((e) => ({
            uscc: e.uscc,
            name: e.name,
            regionCode: e.uscc.slice(2, 8),
            status: 'UNVERIFIED' as const,
            source: 'watchlist',
            externalId: e.uscc,
            payloadHash: '',
            observedAt: now,
          })),
        )
        .onConflict((conflict) => conflict.column('uscc').doNothing())
        .returning(['id', 'uscc'])
        .execute();
      await grantDemoConsents(tx, portfolio, inserted, { now, personIdSalt });
    }
  });
}

/**
 * The consents of `enterprises` of the portfolio (ids by USCC) for every source's scope, and
 * their legal representatives' own authorizations — everyone who is one in the story — of the
 * pulls that bring their data: held since the portfolio's history starts, valid until a year
 * after its end (or `now`).
 */
export async function grantDemoConsents(db: Db, portfolio: Portfolio, enterprises: readonly { id: string; uscc: string }[], options: { now: Date; personIdSalt: string }): Promise<void> {
  if (enterprises.length === 0) return;
  const scopes = sources.map((source) => source.connector.manifest.consentScope);
  const personal = sources.filter((source) => source.connector.manifest.personalSubjects?.includes('LEGAL_REPRESENTATIVE')).map((source) => source.connector.manifest.consentScope);
  const grantedAt = new Date(`${portfolio.months[0]!}T00:00:00.000Z`);
  const expiresAt = new Date(Math.max(options.now.getTime(), Date.parse(portfolio.clockInstant)) + 365 * 86_400_000);
  const consent = { purpose: 'PRE_AND_POST_LOAN', evidenceRef: 'demo', grantedBy: 'demo', grantedAt, expiresAt };
  await db.insertInto('consent').values(enterprises.map(({ id }) => ({ enterpriseId: id, scopes, ...consent }))).execute();
  const people = new Map(portfolio.persons.map((person) => [person.key, person]));
  const bundles = new Map(portfolio.enterprises.map((bundle) => [bundle.uscc, bundle]));
  const representatives = enterprises.flatMap(({ id, uscc }) =>
    [...new Set((bundles.get(uscc)?.relations ?? []).flatMap((r) => (r.type === 'LEGAL_REPRESENTATIVE' && r.from.kind === 'PERSON' ? [r.from.personKey] : [])))].map((key) => ({ enterpriseId: id, person: people.get(key)! })),
  );
  if (personal.length === 0 || representatives.length === 0) return;
  await db
    .insertInto('personConsent')
    .values(
      representatives.map(({ enterpriseId, person }) => ({
        personIdHash: hashPersonId(options.personIdSalt, person.idNumber),
        maskedIdNumber: maskIdNumber(person.idNumber),
        name: person.name,
        enterpriseId,
        role: 'LEGAL_REPRESENTATIVE' as const,
        scopes: personal,
        ...consent,
      })),
    )
    .execute();
}

/** Enterprises some configured source has not completed a sync for: what a (resumed) fill still has to do. */
export async function enterprisesToFill(store: Store, sourceIds: readonly string[]): Promise<string[]> {
  if (sourceIds.length === 0) return [];
  const rows = await sql<{ id: string }>`
    SELECT e.id::text AS id FROM enterprise e
    WHERE EXISTS (
      SELECT 1 FROM unnest(${[...sourceIds]}::text[]) AS s(source)
      WHERE NOT EXISTS (
        SELECT 1 FROM sync_run r
        WHERE r.enterprise_id = e.id AND r.source = s.source AND r.status IN ('SUCCEEDED', 'PARTIAL')))
    ORDER BY e.id`.execute(store.db);
  return rows.rows.map((row) => row.id);
}

export interface FillSummary {
  enterprises: number;
  runs: number;
  failed: number;
  fetched: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  seconds: number;
}

/** Syncs every configured source for the given enterprises, reporting progress now and then. */
export async function fillThroughConnectors(
  ingest: IngestService,
  enterpriseIds: readonly string[],
  options: { concurrency: number; report: (done: number, total: number) => void },
): Promise<FillSummary> {
  const started = monotonicMs();
  const summary: FillSummary = { enterprises: enterpriseIds.length, runs: 0, failed: 0, fetched: 0, stored: 0, duplicates: 0, quarantined: 0, seconds: 0 };
  let lastReport = -Infinity;
  await ingest.syncMany(systemActor('demo fill: data for the demo portfolio'), enterpriseIds, {
    concurrency: options.concurrency,
    onEnterprise: (runs: SyncRunRow[], done: number) => {
      for (const run of runs) {
        summary.runs++;
        if (run.status === 'FAILED' || run.status === 'REFUSED') summary.failed++;
        summary.fetched += run.fetched;
        summary.stored += run.stored;
        summary.duplicates += run.duplicates;
        summary.quarantined += run.quarantined;
      }
      if (monotonicMs() - lastReport > 2000 || done === enterpriseIds.length) {
        lastReport = monotonicMs();
        options.report(done, enterpriseIds.length);
      }
    },
  });
  summary.seconds = (monotonicMs() - started) / 1000;
  return summary;
}
