import type { Resolvers } from '../../generated/graphql.js';
import { consentStatus, grantConsent, revokeConsent } from '../../ingest/consents.js';
import type { EnterpriseRow } from '../../store/schema.js';
import { fromGlobalId, toGlobalId } from '../ids.js';

export const ingestResolvers: Resolvers = {
  Mutation: {
    grantConsent: (_, { input }, { store, ingest, actor }) =>
      grantConsent(
        store.db,
        { ...input, enterpriseId: fromGlobalId('Enterprise', input.enterpriseId, 'enterpriseId') },
        actor,
        ingest.knownScopes(),
      ),
    revokeConsent: (_, { id }, { store, actor }) => revokeConsent(store.db, fromGlobalId('Consent', id), actor),
    syncEnterprise: (_, { id, sources }, { ingest }) => ingest.syncEnterprise(fromGlobalId('Enterprise', id), sources ?? undefined),
  },
  Enterprise: {
    consents: (enterprise, _, { loaders }) => loaders.consents.load(enterprise.id),
  },
  Consent: {
    id: (consent) => toGlobalId('Consent', consent.id),
    enterprise: (consent, _, { loaders }) => loaders.enterpriseById.load(consent.enterpriseId) as Promise<EnterpriseRow>,
    status: (consent) => consentStatus(consent),
  },
  SyncRun: {
    id: (run) => toGlobalId('SyncRun', run.id),
    connector: (run) => run.source,
    enterprise: (run, _, { loaders }) => (run.enterpriseId === null ? null : loaders.enterpriseById.load(run.enterpriseId)),
  },
};
