import { sql } from 'kysely';
import { NotFoundError } from '../common/errors.js';
import { payloadHash } from '../common/payload-hash.js';
import type { Db, Store } from '../store/database.js';
import { hasConsent } from './consents.js';
import type { SyncRunRow } from '../store/ingest-records.js';
import type { SyncRunStatus } from '../store/schema.js';
import type { AnyConnector, CanonicalRecord, Checkpoint, Normalized } from './sdk.js';
import type { Transport } from './transport.js';

/** A connector with the client made for it, as the registry hands it to the engine. */
export interface BoundConnector {
  connector: AnyConnector;
  client: unknown;
  transport: Transport;
}



type Counts = Pick<SyncRunRow, 'fetched' | 'stored' | 'duplicates' | 'quarantined'>;

/**
 * Runs syncs: one run per (enterprise, source). The engine, not the connector, owns what
 * makes a sync trustworthy — the consent check before anything is fetched, resumption from
 * the last committed page, idempotent versioned upserts, raw payloads kept by hash,
 * quarantine of what does not validate, and counts that always reconcile:
 * fetched = stored + duplicates + quarantined, counted per raw upstream record.
 */
export class IngestEngine {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async syncEnterprise(enterpriseId: string, bound: BoundConnector, signal?: AbortSignal): Promise<SyncRunRow> {
    const { db } = this.store;
    const { manifest } = bound.connector;
    const enterprise = await db.selectFrom('enterprise').select(['id', 'uscc']).where('id', '=', enterpriseId).executeTakeFirst();
    if (!enterprise) throw new NotFoundError(`no enterprise with id ${enterpriseId}`);

    const startedAt = this.now();
    if (!(await hasConsent(db, enterpriseId, manifest.consentScope, startedAt))) {
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
      for await (const page of pages) {
        await db.transaction().execute(async (tx) => {
          const pageCounts = await this.storePage(tx, { source: manifest.id, enterpriseId, uscc: enterprise.uscc, syncRunId: run.id }, bound.connector, page.stream, page.records);
          await tx
            .insertInto('syncCheckpoint')
            .values({ source: manifest.id, enterpriseId, state: JSON.stringify(page.checkpoint), syncRunId: run.id })
            .onConflict((conflict) =>
              conflict.columns(['source', 'enterpriseId']).doUpdateSet({ state: JSON.stringify(page.checkpoint), syncRunId: run.id, updatedAt: this.now() }),
            )
            .execute();
          for (const key of Object.keys(counts) as (keyof Counts)[]) counts[key] += pageCounts[key];
          await tx.updateTable('syncRun').set(counts).where('id', '=', run.id).execute();
        });
      }
      status = counts.quarantined > 0 ? 'PARTIAL' : 'SUCCEEDED';
    } catch (failure) {
      status = 'FAILED';
      error = failure instanceof Error ? failure.message : String(failure);
    }
    return db
      .updateTable('syncRun')
      .set({ ...counts, status, error, finishedAt: this.now() })
      .where('id', '=', run.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Stores one page: raw payloads, then each record's canonical facts or its quarantine. */
  private async storePage(
    tx: Db,
    run: { source: string; enterpriseId: string; uscc: string; syncRunId: string },
    connector: AnyConnector,
    stream: string,
    records: unknown[],
  ): Promise<Counts> {
    const counts: Counts = { fetched: records.length, stored: 0, duplicates: 0, quarantined: 0 };
    const observedAt = this.now();
    const accepted: { rawHash: string; records: CanonicalRecord[] }[] = [];
    for (const raw of records) {
      const rawHash = payloadHash(raw);
      await tx
        .insertInto('rawPayload')
        .values({ source: run.source, payloadHash: rawHash, payload: JSON.stringify(raw), firstSyncRunId: run.syncRunId })
        .onConflict((conflict) => conflict.columns(['source', 'payloadHash']).doNothing())
        .execute();
      const normalized = safeNormalize(connector, raw, { uscc: run.uscc, stream });
      if (normalized.ok) {
        accepted.push({ rawHash, records: normalized.records });
        continue;
      }
      counts.quarantined++;
      await tx
        .insertInto('quarantinedRecord')
        .values({
          source: run.source,
          syncRunId: run.syncRunId,
          enterpriseId: run.enterpriseId,
          externalId: normalized.externalId ?? null,
          payloadHash: rawHash,
          payload: JSON.stringify(raw ?? null),
          errors: JSON.stringify(normalized.errors),
        })
        .execute();
    }
    // Versioned upserts: unchanged content is a duplicate; changed content supersedes the
    // current version; the same record twice in one page counts once.
    const decided = new Map<string, string>();
    for (const { records: canonical } of accepted) {
      let changed = false;
      for (const record of canonical) {
        const contentHash = payloadHash({ entity: record.entity, fields: record.fields });
        const key = `${record.entity}|${record.externalId}`;
        let current = decided.get(key);
        if (current === undefined) {
          const row = await sql<{ id: string; payloadHash: string }>`
            SELECT id::text AS id, payload_hash FROM ${sql.table(snakeCase(record.entity))}
            WHERE source = ${run.source} AND external_id = ${record.externalId} AND superseded_at IS NULL`.execute(tx);
          current = row.rows[0]?.payloadHash ?? '';
          if (row.rows[0] && current !== contentHash) {
            await sql`UPDATE ${sql.table(snakeCase(record.entity))} SET superseded_at = ${observedAt} WHERE id = ${row.rows[0].id}::bigint`.execute(tx);
          }
        }
        if (current === contentHash) continue;
        await tx
          .insertInto(record.entity)
          .values({
            ...(record.fields as object),
            enterpriseId: run.enterpriseId,
            source: run.source,
            externalId: record.externalId,
            syncRunId: run.syncRunId,
            payloadHash: contentHash,
            observedAt,
          } as never)
          .execute();
        decided.set(key, contentHash);
        changed = true;
      }
      if (changed) counts.stored++;
      else counts.duplicates++;
    }
    return counts;
  }
}

function safeNormalize(connector: AnyConnector, raw: unknown, context: { uscc: string; stream: string }): Normalized {
  try {
    return connector.normalize(raw, context);
  } catch (error) {
    return { ok: false, errors: [`the normalizer failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
