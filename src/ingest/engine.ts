import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../common/clock.js';
import { sql } from 'kysely';
import { metrics } from '../common/metrics.js';
import { NotFoundError } from '../common/errors.js';
import { hashOfText, payloadHash, stableStringify } from '../common/payload-hash.js';
import type { Db, Store } from '../store/database.js';
import { CONSENT_CHANNEL, consentCovers, personsAuthorizing } from './consents.js';
import type { SyncRunRow } from '../store/ingest-records.js';
import type { SyncRunKind } from '../store/schema.js';
import { hashPersonId, maskIdNumber } from '../profile/person.js';
import { maskIdNumbersForKeeping } from '../profile/personal-data.js';
import { insertRows, snakeCase } from '../store/bulk.js';
import { GroupCommit } from '../common/group-commit.js';
import { maskPersonalFields, type AnyConnector, type CanonicalEntity, type CanonicalRecord, type Checkpoint, type Normalized, type Page, type PersonRef } from './sdk.js';
import type { BoundConnector } from './bind.js';

/** What a run needs of a bound connector: a replay has no transport. */
type Reader = Pick<BoundConnector, 'connector' | 'client'>;

export interface EngineOptions {
  /** Salt of the HMAC that identifies persons (PERSON_ID_SALT). */
  personIdSalt: string;
  /** The hub's today: what runs and facts are dated on. */
  now: Clock;
  /** How a run shows it is alive: a heartbeat every `heartbeatSeconds`; none for `leaseSeconds` and it is abandoned. @default 10 and 60 */
  lease?: { heartbeatSeconds: number; leaseSeconds: number };
}

interface RunUnderWay {
  enterpriseId: string;
  manifest: AnyConnector['manifest'];
  /** Aborted, with the reason, when the consent the run pulls under is withdrawn. */
  withdrawn: AbortController;
}

/** What a resident ID number looks like in JSON text: the cheap test before a payload is searched for one. */
const EIGHTEEN_DIGITS = /\d{17}[\dXx]/;

/** Raw records committed together (see syncEnterprise); a batch is all pages read until it is reached. */
const BATCH_RECORDS = 500;
/** Raw records at most in one group commit of several runs' batches. */
const GROUP_RECORDS = 5000;

type Counts = Pick<SyncRunRow, 'fetched' | 'stored' | 'duplicates' | 'quarantined'>;

/**
 * One run's batch, normalized and ready to store: what storing it needs from the store (links,
 * current versions) is read when it is written, together with the other runs' batches.
 */
interface Batch {
  run: RunKey;
  /** The raw records as kept (personal fields masked) as stable JSON, with their hashes, in the order read. */
  kept: { json: string; hash: string }[];
  /** Accepted raw records with the canonical records each gave, and the hash of each one's content. */
  accepted: { index: number; stream: string; records: { record: CanonicalRecord; hash: string }[] }[];
  /** The salted hash of each ID number its records name (in memory only). */
  personHash: Map<string, string>;
  rejected: { index: number; stream: string; externalId: string | null; errors: string[] }[];
  /** The rows it writes by key (its facts as `entity source externalId`): two batches that share one are never written together. */
  keys: Set<string>;
  /**
   * Where the run may resume from once the batch is stored: its last page's checkpoint, but with
   * each stream that quarantined a record held where it was before that record's page. None for
   * a run's closing batch that read nothing more.
   */
  checkpoint: Checkpoint | null;
  /** The run's counts before this batch. */
  before: Counts;
  /** Set on a run's last batch: the run ends with it, failed with this error or not. */
  end?: { error: string | null };
}

/**
 * Where a run has got to: the checkpoint of its last page read, and the cursors held back, each
 * at its state before the first page that quarantined a record and moved it (undefined: from the start). An
 * incremental cursor never moves past a record that did not land: the next run reads that page
 * again, and lands the record once the upstream (or the connector) gives it well.
 */
interface Cursor {
  last: Checkpoint | null;
  held: Map<string, Checkpoint['streams'][string] | undefined>;
}

/** Moves the cursor over `pages` (whose records quarantined are at `rejected`, indexes over all their records); returns the checkpoint to commit. */
function advance(cursor: Cursor, pages: readonly Page[], rejected: ReadonlySet<number>): Checkpoint | null {
  if (pages.length === 0) return null;
  let index = 0;
  for (const page of pages) {
    const quarantined = page.records.some((_, offset) => rejected.has(index + offset));
    index += page.records.length;
    if (quarantined) {
      // The cursors this page moved (a connector may keep several per stream, one an account, say).
      for (const [key, state] of Object.entries(page.checkpoint.streams)) {
        const before = cursor.last?.streams[key];
        if (!cursor.held.has(key) && JSON.stringify(state) !== JSON.stringify(before)) cursor.held.set(key, before);
      }
    }
    cursor.last = page.checkpoint;
  }
  if (cursor.held.size === 0) return cursor.last;
  const streams = { ...cursor.last!.streams };
  for (const [stream, state] of cursor.held) {
    if (state === undefined) delete streams[stream];
    else streams[stream] = state;
  }
  return { ...cursor.last!, streams };
}

interface Written {
  counts: Counts;
  /** The run as it ended, for its last batch. */
  finished?: SyncRunRow;
}

/**
 * Runs syncs: one run per (enterprise, source). The engine, not the connector, owns what
 * makes a sync trustworthy — the consent check before anything is fetched, resumption from
 * the last committed page, idempotent versioned upserts, raw payloads kept by hash,
 * quarantine of what does not validate, and counts that always reconcile:
 * fetched = stored + duplicates + quarantined, counted per raw upstream record.
 *
 * The runs under way share one writer: batches that are ready while another is being written
 * go together in the next transaction (group commit), each with its run's counts and
 * checkpoint, so a run of a few dozen records does not pay a dozen statements of its own.
 */
export class IngestEngine {
  private readonly now: Clock;
  private readonly writer: GroupCommit<Batch, Written>;
  /** Runs under way by enterprise, each stopped when a consent it pulls under is withdrawn. */
  private readonly underWay = new Map<string, Set<RunUnderWay>>();
  private watching: Promise<unknown> | undefined;
  /** This process, as the holder of the runs it starts: unique even when a pid is used again. */
  private readonly holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly lease: { heartbeatSeconds: number; leaseSeconds: number };
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: EngineOptions,
  ) {
    this.now = options.now;
    this.lease = options.lease ?? { heartbeatSeconds: 10, leaseSeconds: 60 };
    this.writer = new GroupCommit((batches) => this.write(batches), takeGroup);
  }

  async syncEnterprise(enterpriseId: string, bound: Reader, signal?: AbortSignal): Promise<SyncRunRow> {
    return this.run(enterpriseId, bound, signal);
  }

  /**
   * Normalizes quarantined records' kept payloads again with today's connector, as a run of kind
   * REPLAY under the same consent check as a sync: what passes now is stored and its row resolved
   * LANDED, what does not is quarantined again with today's reasons (its row SUPERSEDED). Nothing
   * is fetched and no cursor moves.
   */
  async replay(enterpriseId: string, connector: AnyConnector, records: readonly { id: string; stream: string; payload: unknown }[]): Promise<SyncRunRow> {
    // A page per stream; the rows' ids in the order their payloads are read.
    const byStream = new Map<string, (typeof records)[number][]>();
    for (const record of records) byStream.set(record.stream, [...(byStream.get(record.stream) ?? []), record]);
    const replayer: AnyConnector = {
      ...connector,
      async *read(_client, context) {
        for (const [stream, rows] of byStream) yield { stream, records: rows.map((row) => row.payload), checkpoint: context.checkpoint ?? { streams: {} } };
      },
    };
    return this.run(enterpriseId, { connector: replayer, client: undefined }, undefined, [...byStream.values()].flat().map((record) => record.id));
  }

  private async run(enterpriseId: string, bound: Reader, signal?: AbortSignal, replaying?: readonly string[]): Promise<SyncRunRow> {
    const { manifest } = bound.connector;
    await (this.watching ??= this.store.listen(CONSENT_CHANNEL, (payload) => this.recheck(this.underWay.get(payload)), () => this.recheck(...this.underWay.values())));
    // Watched before the consent check, so a withdrawal committed after it is never missed.
    const run: RunUnderWay = { enterpriseId, manifest, withdrawn: new AbortController() };
    const runs = this.underWay.get(enterpriseId) ?? new Set();
    this.underWay.set(enterpriseId, runs.add(run));
    // While any run is under way, one statement every few seconds keeps all of this process's alive.
    this.heartbeat ??= setInterval(() => void this.beat(), this.lease.heartbeatSeconds * 1000).unref();
    try {
      return await this.pull(enterpriseId, bound, run, signal, replaying);
    } finally {
      runs.delete(run);
      if (runs.size === 0) this.underWay.delete(enterpriseId);
      if (this.underWay.size === 0) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
    }
  }

  private async beat(): Promise<void> {
    try {
      await this.store.db.updateTable('syncRun').set({ heartbeatAt: systemClock() }).where('holder', '=', this.holder).where('status', '=', 'RUNNING').execute();
    } catch {
      // The store out of reach: the runs' own statements fail too, and a missed beat only brings the lease's end nearer.
    }
  }

  /**
   * Marks ABANDONED every RUNNING run whose holder has shown no sign of life for the lease (real
   * time): killed, crashed, or cut off from the store. What it committed stays, its checkpoint
   * with it. Another process's runs only: this one's are alive as long as it is. Returns them.
   */
  async reapAbandoned(): Promise<SyncRunRow[]> {
    const expired = new Date(systemClock().getTime() - this.lease.leaseSeconds * 1000);
    return this.store.db
      .updateTable('syncRun')
      .set((eb) => ({
        status: 'ABANDONED',
        finishedAt: this.now(),
        error: sql<string>`'its process (' || coalesce(${eb.ref('holder')}, 'unknown') || ') stopped while it ran: no heartbeat since ' || coalesce(to_char(${eb.ref('heartbeatAt')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'it started') || '; what it had stored is kept'`,
      }))
      .where('status', '=', 'RUNNING')
      .where((eb) => eb.or([eb('heartbeatAt', 'is', null), eb('heartbeatAt', '<', expired)]))
      .where((eb) => eb.or([eb('holder', 'is', null), eb('holder', '!=', this.holder)]))
      .returningAll()
      .execute();
  }

  /**
   * Checks the runs again against the store (a consent of their enterprise was withdrawn, or
   * notices may have been lost), and stops each that no consent covers any more.
   */
  private recheck(...groups: (Set<RunUnderWay> | undefined)[]): void {
    for (const run of groups.flatMap((group) => [...(group ?? [])])) {
      if (run.withdrawn.signal.aborted) continue;
      const at = this.now();
      void sql<{ refused: string | null }>`SELECT (${this.refusal(run.enterpriseId, run.manifest, at)}) AS refused`
        .execute(this.store.db)
        .then(({ rows: [row] }) => {
          if (row?.refused) run.withdrawn.abort(new Error(`consent withdrawn at ${at.toISOString()}, while the run was under way: stopped before the next request; what was fetched before was kept`));
        })
        .catch(() => undefined); // the run's own statements say what became of the store
    }
  }

  private async pull(enterpriseId: string, bound: Reader, underWay: RunUnderWay, signal?: AbortSignal, replaying?: readonly string[]): Promise<SyncRunRow> {
    const { manifest } = bound.connector;
    const startedAt = this.now();
    const started = await this.startRun(enterpriseId, manifest, startedAt, replaying ? 'REPLAY' : 'SYNC');
    if (started.run.status === 'REFUSED') {
      metrics.syncRun(manifest.id, 'REFUSED', { stored: 0, duplicates: 0, quarantined: 0 });
      return started.run;
    }
    const withdrawn = underWay.withdrawn.signal;

    const key: RunKey = { source: manifest.id, enterpriseId, uscc: started.uscc, syncRunId: started.run.id, openQuarantine: started.openQuarantine, ...(replaying ? { replaying } : {}) };
    let counts: Counts = { fetched: 0, stored: 0, duplicates: 0, quarantined: 0 };
    let error: string | null = null;
    // Pages are committed in batches of about BATCH_RECORDS records, each batch with the
    // checkpoint of its last page: a small or empty page costs no transaction of its own,
    // and a run killed midway re-reads at most one batch.
    let pages: Page[] = [];
    let pageRecords = 0;
    const cursor: Cursor = { last: started.checkpoint, held: new Map() };
    const commit = async (end?: Batch['end']) => {
      const batch = this.prepare(key, bound.connector, pages, counts, cursor, end);
      pages = [];
      pageRecords = 0;
      return this.writer.submit(batch);
    };
    try {
      const read = bound.connector.read(bound.client, { uscc: started.uscc, checkpoint: started.checkpoint, signal: signal ? AbortSignal.any([signal, withdrawn]) : withdrawn });
      for await (const page of read) {
        // Leaving the loop ends the reader: no request after the withdrawal, and nothing that came in after it is stored.
        if (withdrawn.aborted) break;
        pages.push(page);
        pageRecords += page.records.length;
        if (pageRecords >= BATCH_RECORDS) ({ counts } = await commit());
      }
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    if (withdrawn.aborted) error = (withdrawn.reason as Error).message;
    let finished: SyncRunRow;
    try {
      // What was read before a failure is kept, so the next run resumes after it; the run ends in the same transaction.
      const written = await commit({ error });
      ({ counts } = written);
      finished = written.finished!;
    } catch (failure) {
      finished = await this.store.db
        .updateTable('syncRun')
        .set({ ...counts, status: 'FAILED', error: failure instanceof Error ? failure.message : String(failure), finishedAt: this.now() })
        .where('id', '=', key.syncRunId)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    metrics.syncRun(manifest.id, finished.status, counts);
    return finished;
  }

  /**
   * The run's row, RUNNING or REFUSED by the consent check, with what the run starts from —
   * the enterprise's USCC and the source's checkpoint — in one statement.
   */
  /**
   * Why the source may not be pulled for the enterprise at `at`, or NULL: the enterprise's
   * consent must cover its scope, and every person in the roles whose own data its answers
   * carry must have authorized it themselves.
   */
  private refusal(enterpriseId: string, manifest: AnyConnector['manifest'], at: Date) {
    const scope = manifest.consentScope;
    const subjects = manifest.personalSubjects ?? [];
    const who = subjects.map((role) => role.toLowerCase().replace('_', ' ')).join(' or ');
    const uncovered = `no valid consent covers scope '${scope}': nothing was fetched`;
    const unknown = `the enterprise's ${who} is not known yet, whose own authorization this source's answers need: sync the registry, record it, then sync again; nothing was fetched`;
    const unauthorized = `no valid authorization of the enterprise's ${who} covers scope '${scope}', and their own data is in this source's answers: nothing was fetched`;
    const persons = subjects.length === 0 ? sql<string>`'OK'` : sql<string>`(
      SELECT CASE WHEN count(*) = 0 THEN 'UNKNOWN' WHEN bool_and(covered) THEN 'OK' ELSE 'UNAUTHORIZED' END
      FROM (${personsAuthorizing(enterpriseId, subjects, scope, at)}) authorizing)`;
    return sql<string | null>`CASE WHEN NOT ${consentCovers(enterpriseId, scope, at)} THEN ${uncovered}
      ELSE (SELECT CASE persons WHEN 'UNKNOWN' THEN ${unknown} WHEN 'UNAUTHORIZED' THEN ${unauthorized} END FROM (SELECT ${persons} AS persons) checked) END`;
  }

  private async startRun(
    enterpriseId: string,
    manifest: AnyConnector['manifest'],
    at: Date,
    kind: SyncRunKind,
  ): Promise<{ run: SyncRunRow; uscc: string; checkpoint: Checkpoint | null; openQuarantine: boolean }> {
    const source = manifest.id;
    const result = await sql<SyncRunRow & { startUscc: string; startCheckpoint: Checkpoint | null; openQuarantine: boolean }>`
      WITH target AS (SELECT id, uscc FROM enterprise WHERE id = ${enterpriseId}),
      decided AS (SELECT id, uscc, ${this.refusal(enterpriseId, manifest, at)} AS refused FROM target),
      started AS (
        INSERT INTO sync_run (source, enterprise_id, status, started_at, finished_at, error, holder, heartbeat_at, kind)
        SELECT ${source}, id, CASE WHEN refused IS NULL THEN 'RUNNING' ELSE 'REFUSED' END, ${at}::timestamptz,
          CASE WHEN refused IS NULL THEN NULL ELSE ${at}::timestamptz END, refused, ${this.holder}, ${systemClock()}::timestamptz, ${kind}
        FROM decided
        RETURNING *)
      SELECT started.*, target.uscc AS start_uscc,
        (SELECT state FROM sync_checkpoint WHERE source = ${source} AND enterprise_id = target.id) AS start_checkpoint,
        EXISTS (SELECT 1 FROM quarantined_record WHERE source = ${source} AND enterprise_id = target.id AND resolved_at IS NULL) AS open_quarantine
      FROM started, target`.execute(this.store.db);
    const row = result.rows[0];
    if (!row) throw new NotFoundError(`no enterprise with id ${enterpriseId}`);
    const { startUscc, startCheckpoint, openQuarantine, ...run } = row;
    return { run, uscc: startUscc, checkpoint: startCheckpoint, openQuarantine };
  }

  /** Masks, hashes and normalizes a run's pages (no statement: the store is read when the batch is written). */
  private prepare(run: RunKey, connector: AnyConnector, pages: Page[], before: Counts, cursor: Cursor, end?: Batch['end']): Batch {
    const items = pages.flatMap((page) => page.records.map((raw) => ({ stream: page.stream, raw })));
    const kept = items.map(({ raw }) => {
      // The text hashed is the text stored (a json column keeps it as given): the hash can be checked from the store.
      const masked = maskPersonalFields(connector.manifest, raw);
      let json = stableStringify(masked);
      // An ID number under a key the manifest does not know (a drifted one, free text) is kept masked too.
      if (EIGHTEEN_DIGITS.test(json)) json = stableStringify(maskIdNumbersForKeeping(masked));
      return { json, hash: hashOfText(json) };
    });
    // Its run's checkpoint is one of the rows it writes.
    const keys = new Set([`checkpoint ${run.source} ${run.enterpriseId}`]);
    const batch: Batch = { run, kept, accepted: [], rejected: [], personHash: new Map(), keys, checkpoint: null, before, ...(end ? { end } : {}) };
    const personHash = (person: PersonRef) => {
      let idHash = batch.personHash.get(person.idNumber);
      if (idHash === undefined) {
        idHash = hashPersonId(this.options.personIdSalt, person.idNumber);
        batch.personHash.set(person.idNumber, idHash);
      }
      return idHash;
    };
    items.forEach(({ stream, raw }, index) => {
      const normalized = safeNormalize(connector, raw, { uscc: run.uscc, stream });
      if (!normalized.ok) {
        batch.rejected.push({ index, stream, externalId: normalized.externalId ?? null, errors: normalized.errors });
        return;
      }
      batch.accepted.push({ index, stream, records: normalized.records.map((record) => ({ record, hash: contentHash(record, personHash) })) });
      for (const record of normalized.records) {
        // The registry's record of the enterprise itself is updated in place: its key is the enterprise.
        batch.keys.add(record.entity === 'enterprise' ? `enterprise ${run.enterpriseId}` : `${record.entity} ${run.source} ${record.externalId}`);
      }
    });
    batch.checkpoint = run.replaying ? null : advance(cursor, pages, new Set(batch.rejected.map((rejection) => rejection.index)));
    return batch;
  }

  /** Writes batches of several runs in one transaction; a run's last batch also ends the run. */
  private async write(batches: Batch[]): Promise<Written[]> {
    return this.store.db.transaction().execute(async (tx) => {
      // No wait for the WAL flush: a crash can lose the last batches, but each takes its
      // checkpoint with it, so the next run fetches them again — nothing lost, nothing doubled.
      await sql`SET LOCAL synchronous_commit = off`.execute(tx);
      const stored = await this.storeRecords(tx, batches);
      const counts = batches.map((batch, index) => ({
        fetched: batch.before.fetched + stored[index]!.fetched,
        stored: batch.before.stored + stored[index]!.stored,
        duplicates: batch.before.duplicates + stored[index]!.duplicates,
        quarantined: batch.before.quarantined + stored[index]!.quarantined,
      }));
      const finished = await this.recordProgress(tx, batches, counts);
      return counts.map((total, index) => {
        const run = finished.get(batches[index]!.run.syncRunId);
        return { counts: total, ...(batches[index]!.end ? { finished: run } : {}) };
      });
    });
  }

  /**
   * Each run's counts and checkpoint, and the end of the runs that end here, in one statement
   * for all the batches; returns the runs that ended.
   */
  private async recordProgress(tx: Db, batches: Batch[], counts: Counts[]): Promise<Map<string, SyncRunRow>> {
    const at = this.now();
    const status = batches.map((batch, index) => {
      if (!batch.end) return null;
      if (batch.end.error !== null) return 'FAILED';
      return counts[index]!.quarantined > 0 ? 'PARTIAL' : 'SUCCEEDED';
    });
    const checkpoints = batches
      .filter((batch) => batch.checkpoint !== null)
      .sort((a, b) => compare(`${a.run.source} ${a.run.enterpriseId}`, `${b.run.source} ${b.run.enterpriseId}`));
    const ended = await sql<SyncRunRow>`
      WITH checkpoint AS (
        INSERT INTO sync_checkpoint (source, enterprise_id, state, sync_run_id, updated_at)
        SELECT *, ${at}::timestamptz FROM unnest(${checkpoints.map((batch) => batch.run.source)}::text[], ${checkpoints.map((batch) => batch.run.enterpriseId)}::bigint[],
          ${checkpoints.map((batch) => JSON.stringify(batch.checkpoint))}::jsonb[], ${checkpoints.map((batch) => batch.run.syncRunId)}::bigint[])
        ON CONFLICT (source, enterprise_id) DO UPDATE SET state = excluded.state, sync_run_id = excluded.sync_run_id, updated_at = ${at}),
      progress AS (
        SELECT * FROM unnest(${batches.map((batch) => batch.run.syncRunId)}::bigint[], ${counts.map((count) => count.fetched)}::int[],
          ${counts.map((count) => count.stored)}::int[], ${counts.map((count) => count.duplicates)}::int[], ${counts.map((count) => count.quarantined)}::int[],
          ${status}::text[], ${batches.map((batch) => batch.end?.error ?? null)}::text[])
          AS progress (id, fetched, stored, duplicates, quarantined, status, error))
      UPDATE sync_run SET fetched = progress.fetched, stored = progress.stored, duplicates = progress.duplicates, quarantined = progress.quarantined,
        status = coalesce(progress.status, sync_run.status), error = coalesce(progress.error, sync_run.error),
        finished_at = CASE WHEN progress.status IS NULL THEN sync_run.finished_at ELSE ${at}::timestamptz END,
        heartbeat_at = ${systemClock()}::timestamptz
      FROM progress WHERE sync_run.id = progress.id
      RETURNING sync_run.*`.execute(tx);
    return new Map(ended.rows.filter((run) => run.status !== 'RUNNING').map((run) => [run.id, run]));
  }

  /**
   * Stores batches' records in a fixed number of statements, whatever their number and size: raw payloads; the
   * parties they link to (persons by the salted hash of their ID number, enterprises by USCC);
   * per entity and source, the current versions read at once, the changed ones superseded and the new
   * versions inserted; then quarantine. Unchanged content is a duplicate. When one batch holds
   * several versions of a fact, the last one stands and the earlier ones count as duplicates.
   */
  private async storeRecords(tx: Db, batches: Batch[]): Promise<Counts[]> {
    const observedAt = this.now();
    const payloads = new Map<string, { source: string; payloadHash: string; payload: string; firstSyncRunId: string; receivedAt: Date }>();
    for (const { run, kept } of batches) {
      for (const { hash, json } of kept) {
        const key = `${run.source} ${hash}`;
        if (!payloads.has(key)) payloads.set(key, { source: run.source, payloadHash: hash, payload: json, firstSyncRunId: run.syncRunId, receivedAt: observedAt });
      }
    }
    // In (source, hash) order, as every writer does: concurrent transactions then lock conflicting rows in one order and cannot deadlock.
    await insertRows(tx, 'raw_payload', [...payloads].sort(([a], [b]) => compare(a, b)).map(([, row]) => row), { onConflictDoNothing: ['source', 'payload_hash'] });

    const links = await this.resolveLinks(tx, batches, observedAt);
    const rejected = batches.map((batch) => [...batch.rejected]);
    const changed = batches.map(() => new Set<number>());
    // Versions to write, by entity, source and external id; the last occurrence in a batch stands.
    const latest = new Map<CanonicalEntity, Map<string, Map<string, { batch: number; item: number; row: Record<string, unknown>; hash: string }>>>();
    batches.forEach(({ run, accepted }, batch) => {
      accepted.forEach((item, position) => {
        const rows: { entity: CanonicalEntity; externalId: string; row: Record<string, unknown>; hash: string }[] = [];
        for (const { record, hash } of item.records) {
          const linked = recordRow(record, run, links);
          if ('error' in linked) {
            rejected[batch]!.push({ index: item.index, stream: item.stream, externalId: record.externalId, errors: [linked.error] });
            return;
          }
          rows.push({ entity: record.entity, externalId: record.externalId, row: linked.row, hash });
        }
        for (const { entity, externalId, row, hash } of rows) {
          const bySource = latest.get(entity) ?? new Map();
          latest.set(entity, bySource);
          const byId = bySource.get(run.source) ?? new Map();
          bySource.set(run.source, byId);
          byId.set(externalId, { batch, item: position, row, hash });
        }
      });
    });

    for (const [entity, bySource] of latest) {
      if (entity === 'enterprise') {
        // The registry's record of the synced enterprise: updated in place when it changed.
        for (const [source, byId] of bySource) {
          for (const [externalId, version] of byId) {
            const run = batches[version.batch]!.run;
            const updated = await tx
              .updateTable('enterprise')
              .set({ ...(version.row as object), source, externalId, syncRunId: run.syncRunId, payloadHash: version.hash, observedAt })
              .where('id', '=', run.enterpriseId)
              .where('payloadHash', '<>', version.hash)
              .executeTakeFirst();
            if (updated.numUpdatedRows > 0n) changed[version.batch]!.add(version.item);
          }
        }
        continue;
      }
      const table = sql.table(snakeCase(entity));
      const inserts: Record<string, unknown>[] = [];
      for (const [source, byId] of bySource) {
        const current = await sql<{ id: string; externalId: string; payloadHash: string }>`
          SELECT id::text AS id, external_id, payload_hash FROM ${table}
          WHERE external_id = ANY(${[...byId.keys()]}::text[]) AND source = ${source} AND superseded_at IS NULL`.execute(tx);
        const currentOf = new Map(current.rows.map((row) => [row.externalId, row]));
        const superseded: string[] = [];
        for (const [externalId, version] of byId) {
          const existing = currentOf.get(externalId);
          if (existing?.payloadHash === version.hash) continue;
          if (existing) superseded.push(existing.id);
          inserts.push({ ...version.row, source, externalId, syncRunId: batches[version.batch]!.run.syncRunId, payloadHash: version.hash, observedAt });
          changed[version.batch]!.add(version.item);
        }
        if (superseded.length > 0) await sql`UPDATE ${table} SET superseded_at = ${observedAt} WHERE id = ANY(${superseded}::bigint[])`.execute(tx);
      }
      await insertRows(tx, snakeCase(entity), inserts);
    }

    const quarantine: Record<string, unknown>[] = [];
    const counts = batches.map(({ run, kept, accepted }, batch) => {
      const rejectedIndexes = new Set(rejected[batch]!.map((entry) => entry.index));
      const count: Counts = { fetched: kept.length, stored: 0, duplicates: 0, quarantined: rejectedIndexes.size };
      accepted.forEach((item, position) => {
        if (rejectedIndexes.has(item.index)) return;
        if (changed[batch]!.has(position)) count.stored++;
        else count.duplicates++;
      });
      for (const { index, stream, externalId, errors } of new Map(rejected[batch]!.map((entry) => [entry.index, entry])).values()) {
        quarantine.push({
          source: run.source,
          stream,
          syncRunId: run.syncRunId,
          enterpriseId: run.enterpriseId,
          externalId,
          payloadHash: kept[index]!.hash,
          payload: kept[index]!.json,
          // A normalizer's reason may quote the value it refused.
          errors: JSON.stringify(maskIdNumbersForKeeping(errors)),
          quarantinedAt: observedAt,
        });
      }
      return count;
    });
    await this.resolveQuarantine(tx, batches, latest, rejected, observedAt);
    await insertRows(tx, 'quarantined_record', quarantine);
    return counts;
  }

  /**
   * Resolves the open quarantined rows these batches settle, in one statement: a replay's own rows
   * by position (LANDED, or SUPERSEDED when quarantined again), and any run's rows by their record's
   * key — LANDED when a record with the key was accepted, SUPERSEDED when it is quarantined again
   * (before the new rows are written, which are then the open ones).
   */
  private async resolveQuarantine(tx: Db, batches: Batch[], latest: ReadonlyMap<CanonicalEntity, ReadonlyMap<string, ReadonlyMap<string, { batch: number }>>>, rejected: Batch['rejected'][], at: Date): Promise<void> {
    const replayed: { id: string; resolution: string; run: string }[] = [];
    const keys: { source: string; enterpriseId: string; externalId: string; run: string; resolution: string }[] = [];
    batches.forEach(({ run, before, kept }, batch) => {
      const again = new Set(rejected[batch]!.map((entry) => entry.index));
      if (run.replaying) {
        for (let index = 0; index < kept.length; index++) {
          replayed.push({ id: run.replaying[before.fetched + index]!, resolution: again.has(index) ? 'SUPERSEDED' : 'LANDED', run: run.syncRunId });
        }
      }
      for (const entry of rejected[batch]!) {
        if (entry.externalId !== null) keys.push({ source: run.source, enterpriseId: run.enterpriseId, externalId: entry.externalId, run: run.syncRunId, resolution: 'SUPERSEDED' });
      }
      if (rejected[batch]!.length > 0) run.openQuarantine = true;
    });
    for (const bySource of latest.values()) {
      for (const [source, versions] of bySource) {
        for (const [externalId, { batch }] of versions) {
          const { run } = batches[batch]!;
          if (run.openQuarantine) keys.push({ source, enterpriseId: run.enterpriseId, externalId, run: run.syncRunId, resolution: 'LANDED' });
        }
      }
    }
    if (replayed.length === 0 && keys.length === 0) return;
    await sql`
      WITH by_id AS (
        UPDATE quarantined_record q SET resolution = r.resolution, resolved_at = ${at}::timestamptz, resolved_by_sync_run_id = r.run
        FROM unnest(${replayed.map((row) => row.id)}::bigint[], ${replayed.map((row) => row.resolution)}::text[], ${replayed.map((row) => row.run)}::bigint[]) AS r(id, resolution, run)
        WHERE q.id = r.id AND q.resolved_at IS NULL
        RETURNING q.id)
      UPDATE quarantined_record q SET resolution = k.resolution, resolved_at = ${at}::timestamptz, resolved_by_sync_run_id = k.run
      FROM (SELECT DISTINCT ON (source, enterprise_id, external_id) * FROM unnest(
        ${keys.map((key) => key.source)}::text[], ${keys.map((key) => key.enterpriseId)}::bigint[], ${keys.map((key) => key.externalId)}::text[],
        ${keys.map((key) => key.run)}::bigint[], ${keys.map((key) => key.resolution)}::text[]) AS k(source, enterprise_id, external_id, run, resolution)
        ORDER BY source, enterprise_id, external_id, resolution) k
      WHERE q.resolved_at IS NULL AND q.source = k.source AND q.enterprise_id = k.enterprise_id AND q.external_id = k.external_id
        AND q.id NOT IN (SELECT id FROM by_id)`.execute(tx);
  }

  /** Persons (created on first sight) and enterprises the batches' records name, by ID number and USCC. */
  private async resolveLinks(tx: Db, batches: Batch[], observedAt: Date): Promise<Links> {
    /** Each person by the hash of their ID number, with the source that named them first. */
    const persons = new Map<string, { person: PersonRef; source: string }>();
    const usccs = new Set<string>();
    const links: Links = { personHash: new Map(), personId: new Map(), enterpriseId: new Map() };
    for (const { run, accepted, personHash } of batches) {
      const named = (person: PersonRef) => {
        const idHash = personHash.get(person.idNumber)!;
        links.personHash.set(person.idNumber, idHash);
        if (!persons.has(idHash)) persons.set(idHash, { person, source: run.source });
      };
      for (const { record } of accepted.flatMap((item) => item.records)) {
        if (record.entity === 'enforcement' && record.fields.against) named(record.fields.against);
        if (record.entity === 'relation') {
          const from = record.fields.from;
          if ('person' in from) named(from.person);
          else usccs.add(from.uscc);
        }
        if (record.entity === 'invoice') usccs.add(record.fields.buyerUscc);
      }
    }
    if (persons.size > 0) {
      const rows = [...persons]
        .map(([idHash, { person, source }]) => ({ idHash, maskedIdNumber: maskIdNumber(person.idNumber), name: person.name, source, observedAt }))
        // Persons are shared between enterprises synced at once: inserted in one order, concurrent transactions cannot deadlock.
        .sort((a, b) => compare(a.idHash, b.idHash));
      await insertRows(tx, 'person', rows, { onConflictDoNothing: ['id_hash'] });
      const found = await sql<{ id: string; idHash: string }>`
        SELECT id::text AS id, id_hash FROM person WHERE id_hash = ANY(${rows.map((row) => row.idHash)}::text[])`.execute(tx);
      for (const row of found.rows) links.personId.set(row.idHash, row.id);
    }
    if (usccs.size > 0) {
      const found = await sql<{ id: string; uscc: string }>`
        SELECT id::text AS id, uscc FROM enterprise WHERE uscc = ANY(${[...usccs]}::text[])`.execute(tx);
      for (const row of found.rows) links.enterpriseId.set(row.uscc, row.id);
    }
    return links;
  }
}

interface RunKey {
  source: string;
  enterpriseId: string;
  uscc: string;
  syncRunId: string;
  /**
   * Whether a record of this source and enterprise may be open in quarantine: it was at the run's
   * start, or the run has quarantined one since. Only then do its landed records resolve any.
   */
  openQuarantine: boolean;
  /** A replay's quarantined rows, in the order their payloads are read: nothing is fetched, no cursor moves. */
  replaying?: readonly string[];
}

interface Links {
  /** Salted hash by clear ID number (in memory only, for this page). */
  personHash: Map<string, string>;
  personId: Map<string, string>;
  enterpriseId: Map<string, string>;
}

/**
 * The hash of a canonical record's content, in which a person appears by the salted hash of
 * their ID number, never the number itself.
 */
function contentHash(record: CanonicalRecord, personHash: (person: PersonRef) => string): string {
  switch (record.entity) {
    case 'enforcement': {
      const { against, ...fields } = record.fields;
      return payloadHash({ entity: record.entity, fields: { ...fields, against: against ? personHash(against) : null } });
    }
    case 'relation': {
      const { from, ...fields } = record.fields;
      return payloadHash({ entity: record.entity, fields: { ...fields, from: 'person' in from ? { person: personHash(from.person) } : { uscc: from.uscc } } });
    }
    default:
      return payloadHash({ entity: record.entity, fields: record.fields });
  }
}

/** A canonical record as the row to store, its references replaced by row ids. */
function recordRow(record: CanonicalRecord, run: RunKey, links: Links): { row: Record<string, unknown> } | { error: string } {
  const personId = (person: PersonRef) => links.personId.get(links.personHash.get(person.idNumber)!)!;
  switch (record.entity) {
    case 'enforcement': {
      const { against, ...fields } = record.fields;
      return { row: { ...fields, enterpriseId: against ? null : run.enterpriseId, personId: against ? personId(against) : null } };
    }
    case 'relation': {
      const { from, ...fields } = record.fields;
      if ('person' in from) return { row: { ...fields, toEnterpriseId: run.enterpriseId, fromPersonId: personId(from.person) } };
      const fromEnterpriseId = links.enterpriseId.get(from.uscc);
      if (fromEnterpriseId === undefined) return { error: `from.uscc: enterprise ${from.uscc} (${from.name}) is not in the profile graph yet` };
      return { row: { ...fields, toEnterpriseId: run.enterpriseId, fromEnterpriseId } };
    }
    case 'invoice':
      return { row: { ...record.fields, sellerEnterpriseId: run.enterpriseId, buyerEnterpriseId: links.enterpriseId.get(record.fields.buyerUscc) ?? null } };
    case 'enterprise':
      return { row: record.fields };
    default:
      return { row: { ...record.fields, enterpriseId: run.enterpriseId } };
  }
}

/**
 * The batches that go into one group commit: the waiting ones in order, up to GROUP_RECORDS raw
 * records, leaving for a later one any batch that writes a row an earlier one in the group
 * writes. Each is then written as if alone, its versions compared with what the other wrote.
 */
function takeGroup(waiting: readonly Batch[]): Batch[] {
  const group: Batch[] = [];
  const keys = new Set<string>();
  let records = 0;
  for (const batch of waiting) {
    if (group.length > 0 && records + batch.kept.length > GROUP_RECORDS) break;
    if ([...batch.keys].some((key) => keys.has(key))) continue;
    group.push(batch);
    records += batch.kept.length;
    for (const key of batch.keys) keys.add(key);
  }
  return group;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The connector's normalization, a throw in it being a rejection like any other. */
function safeNormalize(connector: AnyConnector, raw: unknown, context: { uscc: string; stream: string }): Normalized {
  try {
    return connector.normalize(raw, context);
  } catch (error) {
    return { ok: false, errors: [`the normalizer failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
