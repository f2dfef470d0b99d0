import { hasAnyRole, PERSONAL_DATA_ROLES } from '../../auth/roles.js';
import type { Resolvers } from '../../generated/graphql.js';
import { maskPersonalData, maskText } from '../../profile/personal-data.js';
import type { ConsentPolicy } from '../../ingest/consents.js';
import { replayableRecord } from '../../ingest/service.js';
import type { EnterpriseRow } from '../../store/schema.js';
import { countQuarantine, countSyncRuns, findInventory, pageQuarantine, pageSyncRuns } from '../../store/ingest-records.js';
import { fromGlobalId, toGlobalId } from '../ids.js';
import { checkPageSize, connectionResolvers, decodeCursor, encodeCursor } from '../paging.js';

const SYNC_RUN_CURSOR = 'sync-run';
const QUARANTINE_CURSOR = 'quarantined-record';

export const ingestResolvers: Resolvers = {
  Query: {
    consentPurposes: (_, __, { ingest }) => ingest.consents.policy.purposes,
    connectors: (_, __, { ingest }) => [...ingest.registered],
    syncRuns: async (_, { filter, first, after }, { store }) => {
      const size = checkPageSize(first);
      const beforeId = decodeCursor(SYNC_RUN_CURSOR, after);
      const criteria = {
        source: filter?.connector,
        enterpriseId: filter?.enterpriseId ? fromGlobalId('Enterprise', filter.enterpriseId, 'filter.enterpriseId') : null,
        status: filter?.status,
      };
      const page = await pageSyncRuns(store.db, criteria, size, beforeId);
      return {
        nodes: page.rows,
        cursorOf: (run) => encodeCursor(SYNC_RUN_CURSOR, run.id),
        hasNextPage: page.hasNextPage,
        totalCount: () => countSyncRuns(store.db, criteria),
      };
    },
    quarantinedRecords: async (_, { filter, first, after }, { store }) => {
      const size = checkPageSize(first);
      const beforeId = decodeCursor(QUARANTINE_CURSOR, after);
      const criteria = {
        source: filter?.source,
        enterpriseId: filter?.enterpriseId ? fromGlobalId('Enterprise', filter.enterpriseId, 'filter.enterpriseId') : null,
        open: filter?.open,
      };
      const page = await pageQuarantine(store.db, criteria, size, beforeId);
      return {
        nodes: page.rows,
        cursorOf: (record) => encodeCursor(QUARANTINE_CURSOR, record.id),
        hasNextPage: page.hasNextPage,
        totalCount: () => countQuarantine(store.db, criteria),
      };
    },
    dataInventory: (_, __, { store }) => findInventory(store.db),
  },
  SyncRunConnection: connectionResolvers,
  QuarantinedRecordConnection: connectionResolvers,
  Connector: {
    id: (connector) => connector.manifest.id,
    version: (connector) => connector.manifest.version,
    displayName: (connector) => connector.manifest.displayName,
    entities: (connector) => [...connector.manifest.entities],
    consentScope: (connector) => connector.manifest.consentScope,
    rateLimit: (connector) => connector.manifest.rateLimit,
    configured: (connector, _, { ingest }) => ingest.isConfigured(connector.manifest.id),
    circuitState: (connector, _, { ingest }) => ingest.circuitState(connector.manifest.id) ?? null,
    lastRun: async (connector, _, { loaders }) => loaders.latestRunOfSource.load(connector.manifest.id),
  },
  QuarantinedRecord: {
    id: (record) => toGlobalId('QuarantinedRecord', record.id),
    resolvedBy: (record, _, { loaders }) => (record.resolvedBySyncRunId === null ? null : loaders.syncRunById.load(record.resolvedBySyncRunId)),
    replayable: (record) => replayableRecord(record),
    syncRun: (record, _, { loaders }) => (record.syncRunId === null ? null : loaders.syncRunById.load(record.syncRunId)),
    enterprise: (record, _, { loaders }) => (record.enterpriseId === null ? null : loaders.enterpriseById.load(record.enterpriseId)),
    // A normalizer's reason may quote the value it refused: masked as payloads are.
    errors: (record) => (Array.isArray(record.errors) ? record.errors.map(String) : [String(record.errors)]).map((error) => maskText(error)),
    // Payloads as the upstream sent them, with natural persons' data masked wherever it is found
    // (src/profile/personal-data.ts); in clear only to a role whose work needs it, for a purpose it
    // stated (X-Purpose), and audited.
    payload: async (record, _, { ingest, viewer, actor, personalReads, loaders }) => {
      if (hasAnyRole(viewer, PERSONAL_DATA_ROLES) && actor.purpose) {
        personalReads.add(`QuarantinedRecord:${record.id}`);
        return record.payload;
      }
      const manifest = ingest.registered.find((connector) => connector.manifest.id === record.source)?.manifest;
      const known = record.enterpriseId === null ? [] : await loaders.personNamesOfEnterprise.load(record.enterpriseId);
      return maskPersonalData(record.payload, { names: new Set(manifest?.personNameFields ?? []), idNumbers: new Set(manifest?.personalFields ?? []) }, known);
    },
  },
  Mutation: {
    grantConsent: (_, { input }, { ingest, actor }) => ingest.consents.grant(actor, { ...input, enterpriseId: fromGlobalId('Enterprise', input.enterpriseId, 'enterpriseId') }),
    revokeConsent: (_, { id }, { ingest, actor }) => ingest.consents.revoke(actor, fromGlobalId('Consent', id)),
    grantPersonConsent: (_, { input }, { ingest, actor }) => ingest.consents.grantPerson(actor, { ...input, enterpriseId: fromGlobalId('Enterprise', input.enterpriseId, 'enterpriseId') }),
    revokePersonConsent: (_, { id }, { ingest, actor }) => ingest.consents.revokePerson(actor, fromGlobalId('PersonConsent', id)),
    syncEnterprise: (_, { id, sources }, { ingest, actor, throttle, viewer }) =>
      // A point for each source pulled.
      throttle.spend(viewer, 'syncEnterprise', sources?.length ?? ingest.registered.length, async () => ingest.syncEnterprise(actor, fromGlobalId('Enterprise', id), sources ?? undefined)),
    replayQuarantined: (_, { source, ids }, { ingest, actor }) =>
      ingest.replayQuarantined(actor, source, ids?.map((id, index) => fromGlobalId('QuarantinedRecord', id, `ids[${index}]`))),
  },
  QuarantineReplay: {
    landed: (replay) => replay.records.filter((record) => record.resolution === 'LANDED' && replay.runs.some((run) => run.id === record.resolvedBySyncRunId)).length,
    rejectedAgain: (replay) => replay.records.filter((record) => record.resolution === 'SUPERSEDED' && replay.runs.some((run) => run.id === record.resolvedBySyncRunId)).length,
    refused: (replay) => {
      const refused = new Set(replay.runs.filter((run) => run.status === 'REFUSED').map((run) => run.enterpriseId));
      return replay.records.filter((record) => record.resolution === null && refused.has(record.enterpriseId)).length;
    },
  },
  Enterprise: {
    consents: (enterprise, _, { loaders }) => loaders.consents.load(enterprise.id),
    personConsents: (enterprise, _, { loaders }) => loaders.personConsents.load(enterprise.id),
  },
  Consent: {
    id: (consent) => toGlobalId('Consent', consent.id),
    enterprise: (consent, _, { loaders }) => loaders.enterpriseById.load(consent.enterpriseId) as Promise<EnterpriseRow>,
    purposeText: (consent, _, { ingest }) => purposeText(ingest.consents.policy, consent.purpose),
    status: (consent, _, { ingest }) => ingest.consents.status(consent),
  },
  PersonConsent: {
    id: (consent) => toGlobalId('PersonConsent', consent.id),
    enterprise: (consent, _, { loaders }) => loaders.enterpriseById.load(consent.enterpriseId) as Promise<EnterpriseRow>,
    purposeText: (consent, _, { ingest }) => purposeText(ingest.consents.policy, consent.purpose),
    status: (consent, _, { ingest }) => ingest.consents.status(consent),
  },
  SyncRun: {
    id: (run) => toGlobalId('SyncRun', run.id),
    kind: (run) => run.kind,
    connector: (run) => run.source,
    enterprise: (run, _, { loaders }) => (run.enterpriseId === null ? null : loaders.enterpriseById.load(run.enterpriseId)),
  },
};

/** A purpose's words; a purpose recorded before purposes came from a list reads as it was written. */
function purposeText(policy: ConsentPolicy, code: string) {
  return policy.purposes.find((purpose) => purpose.code === code)?.text ?? { 'zh-CN': code, en: code };
}
