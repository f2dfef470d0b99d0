import { sql } from 'kysely';
import { metrics } from '../common/metrics.js';
import { NotFoundError } from '../common/errors.js';
import { payloadHash } from '../common/payload-hash.js';
import type { Db, Store } from '../store/database.js';
import { hasConsent } from './consents.js';
import type { SyncRunRow } from '../store/ingest-records.js';
import type { SyncRunStatus } from '../store/schema.js';
import { hashPersonId, maskIdNumber, maskKeys } from '../profile/person.js';
import { insertRows, snakeCase } from '../store/bulk.js';
import type { AnyConnector, CanonicalEntity, CanonicalRecord, Checkpoint, Normalized, Page, PersonRef } from './sdk.js';
import type { Transport } from './transport.js';

/** A connector with the client made for it, as the registry hands it to the engine. */
export interface BoundConnector {
  connector: AnyConnector;
  client: unknown;
  transport: Transport;
}



export interface EngineOptions {
  /** Salt of the HMAC that identifies persons (PERSON_ID_SALT). */
  personIdSalt: string;
  now?: () => Date;
}

/** Raw records committed together (see syncEnterprise); a batch is all pages read until it is reached. */
const BATCH_RECORDS = 500;

type Counts = Pick<SyncRunRow, 'fetched' | 'stored' | 'duplicates' | 'quarantined'>;

/**
 * Runs syncs: one run per (enterprise, source). The engine, not the connector, owns what
 * makes a sync trustworthy — the consent check before anything is fetched, resumption from
 * the last committed page, idempotent versioned upserts, raw payloads kept by hash,
 * quarantine of what does not validate, and counts that always reconcile:
 * fetched = stored + duplicates + quarantined, counted per raw upstream record.
 */
export class IngestEngine {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly options: EngineOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async syncEnterprise(enterpriseId: string, bound: BoundConnector, signal?: AbortSignal): Promise<SyncRunRow> {
    const { db } = this.store;
    const { manifest } = bound.connector;
    const enterprise = await db.selectFrom('enterprise').select(['id', 'uscc']).where('id', '=', enterpriseId).executeTakeFirst();
    if (!enterprise) throw new NotFoundError(`no enterprise with id ${enterpriseId}`);

    const startedAt = this.now();
    if (!(await hasConsent(db, enterpriseId, manifest.consentScope, startedAt))) {
      metrics.syncRun(manifest.id, 'REFUSED', { stored: 0, duplicates: 0, quarantined: 0 });
      return db
        .insertInto('syncRun')
        .values({
          source: manifest.id,
          enterpriseId,
          status: 'REFUSED',
          startedAt,
          finishedAt: startedAt,
          error: `no valid consent covers scope '${manifest.consentScope}': nothing was fetched`,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    }

    const run = await db
      .insertInto('syncRun')
      .values({ source: manifest.id, enterpriseId, status: 'RUNNING', startedAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    const counts: Counts = { fetched: 0, stored: 0, duplicates: 0, quarantined: 0 };
    const saved = await db
      .selectFrom('syncCheckpoint')
      .select('state')
      .where('source', '=', manifest.id)
      .where('enterpriseId', '=', enterpriseId)
      .executeTakeFirst();
    const checkpoint = (saved?.state as Checkpoint | undefined) ?? null;

    let status: SyncRunStatus;
    let error: string | null = null;
    try {
      const pages = bound.connector.read(bound.client, {
        uscc: enterprise.uscc,
        checkpoint,
        signal: signal ?? new AbortController().signal,
      });
      const key: RunKey = { source: manifest.id, enterpriseId, uscc: enterprise.uscc, syncRunId: run.id };
      // Pages are committed in batches of about BATCH_RECORDS records, each batch with the
      // checkpoint of its last page: a small or empty page costs no transaction of its own,
      // and a run killed midway re-reads at most one batch.
      let batch: Page[] = [];
      let batchRecords = 0;
      const commit = async () => {
        if (batch.length === 0) return;
        const pending = batch;
        batch = [];
        batchRecords = 0;
        const totals = await db.transaction().execute(async (tx) => {
          // No wait for the WAL flush: a crash can lose the last batches, but each takes its
          // checkpoint with it, so the next run fetches them again — nothing lost, nothing doubled.
          await sql`SET LOCAL synchronous_commit = off`.execute(tx);
          const stored = await this.storeRecords(tx, key, bound.connector, pending.flatMap((page) => page.records.map((raw) => ({ stream: page.stream, raw }))));
          const next: Counts = {
            fetched: counts.fetched + stored.fetched,
            stored: counts.stored + stored.stored,
            duplicates: counts.duplicates + stored.duplicates,
            quarantined: counts.quarantined + stored.quarantined,
          };
          // The run's counts and the checkpoint in one statement.
          await sql`
            WITH progress AS (
              UPDATE sync_run SET fetched = ${next.fetched}, stored = ${next.stored}, duplicates = ${next.duplicates}, quarantined = ${next.quarantined}
              WHERE id = ${run.id})
            INSERT INTO sync_checkpoint (source, enterprise_id, state, sync_run_id) VALUES (${manifest.id}, ${enterpriseId}, ${JSON.stringify(pending.at(-1)!.checkpoint)}, ${run.id})
            ON CONFLICT (source, enterprise_id) DO UPDATE SET state = excluded.state, sync_run_id = excluded.sync_run_id, updated_at = ${this.now()}`.execute(tx);
          return next;
        });
        Object.assign(counts, totals);
      };
      try {
        for await (const page of pages) {
          batch.push(page);
          batchRecords += page.records.length;
          if (batchRecords >= BATCH_RECORDS) await commit();
        }
      } finally {
        // What was read before a failure is kept, so the next run resumes after it.
        await commit();
      }
      status = counts.quarantined > 0 ? 'PARTIAL' : 'SUCCEEDED';
    } catch (failure) {
      status = 'FAILED';
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const finished = await db
      .updateTable('syncRun')
      .set({ ...counts, status, error, finishedAt: this.now() })
      .where('id', '=', run.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    metrics.syncRun(manifest.id, status, counts);
    return finished;
  }

  /**
   * Stores a batch of raw records in a fixed number of statements, whatever its size: raw payloads; the
   * parties it links to (persons by the salted hash of their ID number, enterprises by USCC);
   * per entity, the current versions read at once, the changed ones superseded and the new
   * versions inserted; then quarantine. Unchanged content is a duplicate. When one page holds
   * several versions of a fact, the last one stands and the earlier ones count as duplicates.
   */
  private async storeRecords(tx: Db, run: RunKey, connector: AnyConnector, items: { stream: string; raw: unknown }[]): Promise<Counts> {
    const records = items.map((item) => item.raw);
    const counts: Counts = { fetched: records.length, stored: 0, duplicates: 0, quarantined: 0 };
    if (records.length === 0) return counts;
    const observedAt = this.now();
    const personal = new Set(connector.manifest.personalFields ?? []);
    const kept = records.map((raw) => {
      const payload = personal.size > 0 ? maskKeys(raw, personal, maskIdNumber) : raw;
      return { payload, hash: payloadHash(payload) };
    });
    const uniquePayloads = new Map(kept.map((entry) => [entry.hash, entry.payload]));
    await insertRows(
      tx,
      'raw_payload',
      // In hash order, as every writer does: concurrent batches then lock conflicting rows in one order and cannot deadlock.
      [...uniquePayloads].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([hash, payload]) => ({ source: run.source, payloadHash: hash, payload: JSON.stringify(payload ?? null), firstSyncRunId: run.syncRunId })),
      { onConflictDoNothing: ['source', 'payload_hash'] },
    );

    const rejected: { index: number; externalId: string | null; errors: string[] }[] = [];
    const accepted: { index: number; records: CanonicalRecord[] }[] = [];
    records.forEach((raw, index) => {
      const normalized = safeNormalize(connector, raw, { uscc: run.uscc, stream: items[index]!.stream });
      if (normalized.ok) accepted.push({ index, records: normalized.records });
      else rejected.push({ index, externalId: normalized.externalId ?? null, errors: normalized.errors });
    });

    const links = await this.resolveLinks(tx, run, accepted.flatMap((item) => item.records), observedAt);
    // Versions to write, by entity and external id; the last occurrence in the page stands.
    const latest = new Map<CanonicalEntity, Map<string, { item: number; row: Record<string, unknown>; hash: string }>>();
    accepted.forEach((item, position) => {
      const rows: { entity: CanonicalEntity; externalId: string; row: Record<string, unknown>; hash: string }[] = [];
      for (const record of item.records) {
        const linked = linkRecord(record, run, links);
        if ('error' in linked) {
          rejected.push({ index: item.index, externalId: record.externalId, errors: [linked.error] });
          return;
        }
        rows.push({ entity: record.entity, externalId: record.externalId, ...linked });
      }
      for (const { entity, externalId, row, hash } of rows) {
        const byId = latest.get(entity) ?? new Map();
        byId.set(externalId, { item: position, row, hash });
        latest.set(entity, byId);
      }
    });

    const changedItems = new Set<number>();
    for (const [entity, byId] of latest) {
      if (entity === 'enterprise') {
        // The registry's record of the synced enterprise: updated in place when it changed.
        const [externalId, version] = [...byId].at(-1)!;
        const updated = await tx
          .updateTable('enterprise')
          .set({ ...(version.row as object), source: run.source, externalId, syncRunId: run.syncRunId, payloadHash: version.hash, observedAt })
          .where('id', '=', run.enterpriseId)
          .where('payloadHash', '<>', version.hash)
          .executeTakeFirst();
        if (updated.numUpdatedRows > 0n) changedItems.add(version.item);
        continue;
      }
      const table = sql.table(snakeCase(entity));
      const current = await sql<{ id: string; externalId: string; payloadHash: string }>`
        SELECT id::text AS id, external_id, payload_hash FROM ${table}
        WHERE external_id = ANY(${[...byId.keys()]}::text[]) AND source = ${run.source} AND superseded_at IS NULL`.execute(tx);
      const currentOf = new Map(current.rows.map((row) => [row.externalId, row]));
      const superseded: string[] = [];
      const inserts: Record<string, unknown>[] = [];
      for (const [externalId, version] of byId) {
        const existing = currentOf.get(externalId);
        if (existing?.payloadHash === version.hash) continue;
        if (existing) superseded.push(existing.id);
        inserts.push({ ...version.row, source: run.source, externalId, syncRunId: run.syncRunId, payloadHash: version.hash, observedAt });
        changedItems.add(version.item);
      }
      if (superseded.length > 0) await sql`UPDATE ${table} SET superseded_at = ${observedAt} WHERE id = ANY(${superseded}::bigint[])`.execute(tx);
      await insertRows(tx, snakeCase(entity), inserts);
    }

    const rejectedIndexes = new Set(rejected.map((entry) => entry.index));
    accepted.forEach((item, position) => {
      if (rejectedIndexes.has(item.index)) return;
      if (changedItems.has(position)) counts.stored++;
      else counts.duplicates++;
    });
    counts.quarantined = rejectedIndexes.size;
    if (rejected.length > 0) {
      const firstOfEach = [...new Map(rejected.map((entry) => [entry.index, entry])).values()];
      await insertRows(
        tx,
        'quarantined_record',
        firstOfEach.map(({ index, externalId, errors }) => ({
            source: run.source,
            syncRunId: run.syncRunId,
            enterpriseId: run.enterpriseId,
            externalId,
            payloadHash: kept[index]!.hash,
            payload: JSON.stringify(kept[index]!.payload ?? null),
            errors: JSON.stringify(errors),
          })),
      );
    }
    return counts;
  }

  /** Persons (created on first sight) and enterprises the page's records name, by ID number and USCC. */
  private async resolveLinks(tx: Db, run: RunKey, records: CanonicalRecord[], observedAt: Date): Promise<Links> {
    const persons = new Map<string, PersonRef>();
    const usccs = new Set<string>();
    for (const record of records) {
      if (record.entity === 'enforcement' && record.fields.against) persons.set(record.fields.against.idNumber, record.fields.against);
      if (record.entity === 'relation') {
        const from = record.fields.from;
        if ('person' in from) persons.set(from.person.idNumber, from.person);
        else usccs.add(from.uscc);
      }
      if (record.entity === 'invoice') usccs.add(record.fields.buyerUscc);
    }
    const links: Links = { personHash: new Map(), personId: new Map(), enterpriseId: new Map() };
    if (persons.size > 0) {
      const rows = [...persons.values()]
        .map((person) => {
          const idHash = hashPersonId(this.options.personIdSalt, person.idNumber);
          links.personHash.set(person.idNumber, idHash);
          return { idHash, maskedIdNumber: maskIdNumber(person.idNumber), name: person.name, source: run.source, observedAt };
        })
        // Persons are shared between enterprises synced at once: inserted in one order, concurrent batches cannot deadlock.
        .sort((a, b) => (a.idHash < b.idHash ? -1 : a.idHash > b.idHash ? 1 : 0));
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
}

interface Links {
  /** Salted hash by clear ID number (in memory only, for this page). */
  personHash: Map<string, string>;
  personId: Map<string, string>;
  enterpriseId: Map<string, string>;
}

/**
 * A canonical record as the row to store, its references replaced by row ids, and the hash
 * of its content — in which a person appears by the salted hash of their ID number, never
 * the number itself.
 */
function linkRecord(record: CanonicalRecord, run: RunKey, links: Links): { row: Record<string, unknown>; hash: string } | { error: string } {
  const personOf = (person: PersonRef) => {
    const idHash = links.personHash.get(person.idNumber)!;
    return { idHash, personId: links.personId.get(idHash)! };
  };
  switch (record.entity) {
    case 'enforcement': {
      const { against, ...fields } = record.fields;
      const person = against ? personOf(against) : null;
      return {
        row: { ...fields, enterpriseId: person ? null : run.enterpriseId, personId: person?.personId ?? null },
        hash: payloadHash({ entity: record.entity, fields: { ...fields, against: person?.idHash ?? null } }),
      };
    }
    case 'relation': {
      const { from, ...fields } = record.fields;
      if ('person' in from) {
        const person = personOf(from.person);
        return {
          row: { ...fields, toEnterpriseId: run.enterpriseId, fromPersonId: person.personId },
          hash: payloadHash({ entity: record.entity, fields: { ...fields, from: { person: person.idHash } } }),
        };
      }
      const fromEnterpriseId = links.enterpriseId.get(from.uscc);
      if (fromEnterpriseId === undefined) return { error: `from.uscc: enterprise ${from.uscc} (${from.name}) is not in the profile graph yet` };
      return {
        row: { ...fields, toEnterpriseId: run.enterpriseId, fromEnterpriseId },
        hash: payloadHash({ entity: record.entity, fields: { ...fields, from: { uscc: from.uscc } } }),
      };
    }
    case 'invoice':
      return {
        row: { ...record.fields, sellerEnterpriseId: run.enterpriseId, buyerEnterpriseId: links.enterpriseId.get(record.fields.buyerUscc) ?? null },
        hash: payloadHash({ entity: record.entity, fields: record.fields }),
      };
    case 'enterprise':
      return { row: record.fields, hash: payloadHash({ entity: record.entity, fields: record.fields }) };
    default:
      return { row: { ...record.fields, enterpriseId: run.enterpriseId }, hash: payloadHash({ entity: record.entity, fields: record.fields }) };
  }
}

/** The record with the values under personal keys masked, at any depth. */
function safeNormalize(connector: AnyConnector, raw: unknown, context: { uscc: string; stream: string }): Normalized {
  try {
    return connector.normalize(raw, context);
  } catch (error) {
    return { ok: false, errors: [`the normalizer failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
}
