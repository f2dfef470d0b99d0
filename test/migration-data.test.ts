import { sql } from 'kysely';
import { migrateTo, migrateToLatest } from '../src/store/migrate.js';
import { openTestStore, type TestStore } from './support/store.js';

/**
 * What the migrations that reshape data make of the rows an older hub left: the store is put
 * back where that hub had it (the later migrations undone), given rows as it wrote them, and
 * migrated again.
 */
let testStore: TestStore;

beforeAll(async () => {
  testStore = await openTestStore();
}, 60_000);

afterAll(async () => {
  await testStore?.dispose();
});

const at = (day: number) => new Date(Date.UTC(2026, 10, day));

it('0023 and 0024: quarantined rows resolved as the engine would have, and standing alerts of one condition merged into the earliest', async () => {
  const db = testStore.store.db;
  await migrateTo(db as never, '0022-quarantine-stream');

  const [enterprise] = (await sql<{ id: string }>`
    INSERT INTO enterprise (uscc, name, region_code, status, source, external_id, payload_hash, observed_at)
    VALUES ('91320505MA1MXXQ07T', '苏州测试有限公司', '320505', 'ACTIVE', 'registry', '91320505MA1MXXQ07T', 'h', ${at(1)}) RETURNING id::text`.execute(db)).rows;
  const e = enterprise!.id;
  const run = async (day: number) =>
    (await sql<{ id: string }>`INSERT INTO sync_run (source, enterprise_id, status, started_at, finished_at) VALUES ('invoice', ${e}, 'PARTIAL', ${at(day)}, ${at(day)}) RETURNING id::text`.execute(db)).rows[0]!.id;
  const [first, second, third] = [await run(2), await run(3), await run(4)];
  const quarantine = async (runId: string, externalId: string, day: number) =>
    (await sql<{ id: string }>`
      INSERT INTO quarantined_record (source, sync_run_id, enterprise_id, external_id, payload_hash, payload, errors, quarantined_at, stream)
      VALUES ('invoice', ${runId}, ${e}, ${externalId}, ${externalId + day}, '{}', '["bad"]', ${at(day)}, 'invoices') RETURNING id::text`.execute(db)).rows[0]!.id;
  const again = await quarantine(first, 'INV-1', 2);
  const later = await quarantine(second, 'INV-1', 3);
  const landed = await quarantine(first, 'INV-2', 2);
  const missing = await quarantine(first, 'INV-3', 2);
  await sql`
    INSERT INTO invoice (seller_enterprise_id, invoice_code, invoice_number, kind, issued_on, seller_uscc, buyer_uscc, net_amount_fen, tax_fen, status, source, external_id, sync_run_id, payload_hash, observed_at)
    VALUES (${e}, '3200261130', '00000001', 'NORMAL', '2026-11-01', '91320505MA1MXXQ07T', '91320000MA1TESTX0Y', 100000, 13000, 'NORMAL', 'invoice', 'INV-2', ${third}, 'h', ${at(4)})`.execute(db);

  const alert = async (code: string, key: string, severity: string, action: string, status: string, day: number) =>
    (await sql<{ id: string }>`
      INSERT INTO alert (enterprise_id, code, severity, signal_key, evidence, recommended_action, detected_at, status, resolution_note, updated_at)
      VALUES (${e}, ${code}, ${severity}, ${key}, ${JSON.stringify({ key })}, ${action}, ${at(day)}, ${status}, ${status === 'RESOLVED' ? 'handled' : null}, ${at(day)}) RETURNING id::text`.execute(db)).rows[0]!.id;
  const earliest = await alert('INVOICE_SALES_DROP', 'INVOICE_SALES_DROP:2026-08', 'WARNING', 'REDUCE_LIMIT', 'OPEN', 5);
  const worse = await alert('INVOICE_SALES_DROP', 'INVOICE_SALES_DROP:2026-09', 'CRITICAL', 'FREEZE', 'ACKNOWLEDGED', 6);
  const newest = await alert('INVOICE_SALES_DROP', 'INVOICE_SALES_DROP:2026-10', 'WARNING', 'REDUCE_LIMIT', 'OPEN', 7);
  const handled = await alert('INVOICE_SALES_DROP', 'INVOICE_SALES_DROP:2026-05', 'CRITICAL', 'FREEZE', 'RESOLVED', 4);
  const other = await alert('POWER_DROP', 'POWER_DROP:2026-10', 'WARNING', 'REDUCE_LIMIT', 'OPEN', 7);

  await migrateToLatest(db as never);

  const records = await db.selectFrom('quarantinedRecord').select(['id', 'resolution', 'resolvedBySyncRunId']).orderBy('id').execute();
  expect(records).toEqual([
    { id: again, resolution: 'SUPERSEDED', resolvedBySyncRunId: second },
    { id: later, resolution: null, resolvedBySyncRunId: null },
    { id: landed, resolution: 'LANDED', resolvedBySyncRunId: third },
    { id: missing, resolution: null, resolvedBySyncRunId: null },
  ]);

  const alerts = await db.selectFrom('alert').select(['id', 'status', 'severity', 'recommendedAction', 'evidence', 'resolutionNote']).orderBy('id').execute();
  expect(alerts).toEqual([
    { id: earliest, status: 'OPEN', severity: 'CRITICAL', recommendedAction: 'FREEZE', evidence: { key: 'INVOICE_SALES_DROP:2026-10' }, resolutionNote: null },
    { id: worse, status: 'RESOLVED', severity: 'CRITICAL', recommendedAction: 'FREEZE', evidence: { key: 'INVOICE_SALES_DROP:2026-09' }, resolutionNote: `merged into alert ${earliest}: one alert per condition (migration 0024)` },
    { id: newest, status: 'RESOLVED', severity: 'WARNING', recommendedAction: 'REDUCE_LIMIT', evidence: { key: 'INVOICE_SALES_DROP:2026-10' }, resolutionNote: `merged into alert ${earliest}: one alert per condition (migration 0024)` },
    { id: handled, status: 'RESOLVED', severity: 'CRITICAL', recommendedAction: 'FREEZE', evidence: { key: 'INVOICE_SALES_DROP:2026-05' }, resolutionNote: 'handled' },
    { id: other, status: 'OPEN', severity: 'WARNING', recommendedAction: 'REDUCE_LIMIT', evidence: { key: 'POWER_DROP:2026-10' }, resolutionNote: null },
  ]);
  const history = await db.selectFrom('alertOccurrence').select(['alertId', 'signalKey']).orderBy('alertId').orderBy('id').execute();
  expect(history).toEqual([
    { alertId: earliest, signalKey: 'INVOICE_SALES_DROP:2026-08' },
    { alertId: earliest, signalKey: 'INVOICE_SALES_DROP:2026-09' },
    { alertId: earliest, signalKey: 'INVOICE_SALES_DROP:2026-10' },
    { alertId: handled, signalKey: 'INVOICE_SALES_DROP:2026-05' },
    { alertId: other, signalKey: 'POWER_DROP:2026-10' },
  ].sort((a, b) => Number(a.alertId) - Number(b.alertId)));

  // The store now refuses a second standing alert of a condition.
  await expect(sql`
    INSERT INTO alert (enterprise_id, code, severity, signal_key, evidence, recommended_action, detected_at, updated_at)
    VALUES (${e}, 'POWER_DROP', 'WARNING', 'POWER_DROP:2026-11', '{}', 'WATCH', ${at(8)}, ${at(8)})`.execute(db)).rejects.toThrow(/alert_standing/);
});
