import { InputError } from '../../common/errors.js';
import { money } from '../../common/money.js';
import type { Resolvers } from '../../generated/graphql.js';
import { checkUscc } from '../../profile/uscc.js';
import { countEnterprises, findEnterpriseAsOf, pageEnterprises, type EnterpriseAsOfRow } from '../../store/enterprises.js';
import type { EnterpriseRow, PersonRow } from '../../store/schema.js';
import { fromGlobalId, toGlobalId } from '../ids.js';
import type { Loaders } from '../loaders.js';
import { checkPageSize, connectionResolvers, decodeCursor, encodeCursor } from '../paging.js';
import { selectsAnyOf } from '../selection.js';

const ENTERPRISE_CURSOR = 'enterprise';
/** Fields of Enterprise that read its relations: the profile fetches them with the enterprise. */
const RELATION_FIELDS = ['shareholders', 'legalRepresentative'];

function checkDateRange(from: string | null | undefined, to: string | null | undefined) {
  if (from && to && from > to) throw new InputError(`from (${from}) is after to (${to})`, { argument: 'from' });
  return { from: from ?? null, to: to ?? null };
}

/** The instant the enterprise's facts are as of: none for the current ones. */
function asOfOf(enterprise: EnterpriseAsOfRow) {
  return enterprise.asOf ? { asOf: enterprise.asOf } : {};
}

/** The relations in force into the enterprise: now, or at the instant its record is as of. */
function relationsOf(enterprise: EnterpriseAsOfRow, loaders: Loaders) {
  return enterprise.asOf ? loaders.relationsToEnterpriseAsOf.load(enterprise.id, enterprise.asOf) : loaders.relationsToEnterprise.load(enterprise.id);
}

export const enterpriseResolvers: Resolvers = {
  Query: {
    enterprise: async (_, { id, uscc, asOf }, { loaders, risk, reads }, info) => {
      if ((id == null) === (uscc == null)) {
        throw new InputError('give exactly one of id and uscc', { argument: id == null ? 'id' : 'uscc' });
      }
      let key: { id: string } | { uscc: string };
      if (id != null) {
        key = { id: fromGlobalId('Enterprise', id) };
      } else {
        const check = checkUscc(uscc!);
        if (!check.valid) throw new InputError(`uscc '${uscc}' is not valid: ${check.reason}`, { argument: 'uscc' });
        key = { uscc: check.uscc };
      }
      if (asOf != null) return (await findEnterpriseAsOf(reads, key, risk.asOf(asOf))) ?? null;
      if (selectsAnyOf(info, RELATION_FIELDS)) return loaders.enterpriseWithRelations(key);
      return 'id' in key ? loaders.enterpriseById.load(key.id) : loaders.enterpriseByUscc.load(key.uscc);
    },
    enterprises: async (_, { filter, first, after }, { store, loaders }) => {
      const size = checkPageSize(first);
      const afterId = decodeCursor(ENTERPRISE_CURSOR, after);
      const criteria = filter ?? {};
      const page = await pageEnterprises(store.db, criteria, size, afterId);
      page.rows.forEach(loaders.primeEnterprise);
      return {
        nodes: page.rows,
        cursorOf: (row) => encodeCursor(ENTERPRISE_CURSOR, row.id),
        hasNextPage: page.hasNextPage,
        totalCount: () => countEnterprises(store.db, criteria),
      };
    },
    person: (_, { id }, { loaders }) => loaders.personById.load(fromGlobalId('Person', id)),
  },
  EnterpriseConnection: connectionResolvers,
  Enterprise: {
    id: (enterprise) => toGlobalId('Enterprise', enterprise.id),
    registeredCapital: (enterprise) => money(enterprise.registeredCapitalFen, enterprise.registeredCapitalCurrency),
    asOf: (enterprise) => enterprise.asOf ?? null,
    legalRepresentative: async (enterprise, _, { loaders }) => {
      const relations = await relationsOf(enterprise, loaders);
      const representative = relations.find((r) => r.type === 'LEGAL_REPRESENTATIVE' && r.fromPersonId !== null);
      return (representative?.holder as PersonRow | undefined) ?? null;
    },
    shareholders: async (enterprise, _, { loaders }) => (await relationsOf(enterprise, loaders)).filter((r) => r.type === 'SHAREHOLDER'),
    relatedEnterprises: (enterprise, { depth }, { loaders }) => {
      if (!Number.isInteger(depth) || depth < 1 || depth > 3) {
        throw new InputError(`depth must be 1, 2 or 3, got ${depth}`, { argument: 'depth' });
      }
      return loaders.relatedEnterprises.load(enterprise.id, { depth, ...asOfOf(enterprise) });
    },
    taxFilings: (enterprise, { from, to }, { loaders }) => loaders.taxFilings.load(enterprise.id, { ...checkDateRange(from, to), ...asOfOf(enterprise) }),
    taxRatings: (enterprise, _, { loaders }) => loaders.taxRatings.load(enterprise.id, asOfOf(enterprise)),
    courtCases: (enterprise, _, { loaders }) => loaders.courtCases.load(enterprise.id, asOfOf(enterprise)),
    enforcements: (enterprise, _, { loaders }) => loaders.enforcements.load(enterprise.id, asOfOf(enterprise)),
    utilityBills: (enterprise, { from, to }, { loaders }) => loaders.utilityBills.load(enterprise.id, { ...checkDateRange(from, to), ...asOfOf(enterprise) }),
    invoiceMonthly: (enterprise, { from, to }, { loaders }) =>
      loaders.invoiceMonths.load(enterprise.id, { ...checkDateRange(from, to), ...asOfOf(enterprise) }),
    dataFreshness: (enterprise, _, { loaders, now }) => loaders.sourceFreshness.load(enterprise.id, (enterprise.asOf ?? now()).toISOString()),
  },
  Shareholding: {
    holder: (relation) => relation.holder,
    shareRatio: (relation) => Number(relation.shareRatio ?? 0),
    subscribedCapital: (relation) => money(relation.subscribedCapitalFen),
    since: (relation) => relation.validFrom,
  },
  Holder: {
    __resolveType: (holder) => ('uscc' in holder ? 'Enterprise' : 'Person'),
  },
  RelatedEnterprise: {
    enterprise: (related) => related.enterprise,
    via: (related) => related.via,
  },
  RelationHop: {
    from: (hop, _, { loaders }) => loaders.enterpriseById.load(hop.from) as Promise<EnterpriseRow>,
    to: (hop, _, { loaders }) => loaders.enterpriseById.load(hop.to) as Promise<EnterpriseRow>,
    through: (hop, _, { loaders }) =>
      hop.personId !== null
        ? loaders.personById.load(hop.personId)
        : hop.enterpriseId !== null
          ? loaders.enterpriseById.load(hop.enterpriseId)
          : null,
  },
  Person: {
    id: (person) => toGlobalId('Person', person.id),
    enterprises: (person, _, { loaders }) => loaders.relationsFromPerson.load(person.id),
  },
  PersonRole: {
    enterprise: (relation, _, { loaders }) => loaders.enterpriseById.load(relation.toEnterpriseId) as Promise<EnterpriseRow>,
    role: (relation) => relation.type,
    shareRatio: (relation) => (relation.shareRatio === null ? null : Number(relation.shareRatio)),
  },
};
