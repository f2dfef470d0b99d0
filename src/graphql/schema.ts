import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { Resolvers } from '../generated/graphql.js';
import { applyAuthorization } from './authorization.js';
import { demoResolvers } from './resolvers/demo.js';
import { enterpriseResolvers } from './resolvers/enterprise.js';
import { ingestResolvers } from './resolvers/ingest.js';
import { monitoringResolvers } from './resolvers/monitoring.js';
import { originationResolvers } from './resolvers/origination.js';
import { riskResolvers } from './resolvers/risk.js';
import { sourceResolvers } from './resolvers/sources.js';
import { DateScalar, DateTimeScalar, DecimalScalar, JsonScalar } from './scalars.js';

const schemaDirectory = fileURLToPath(new URL('../../schema/', import.meta.url));

/** The SDL, one file per domain, in a stable order. */
export function loadTypeDefs(): string[] {
  return readdirSync(schemaDirectory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(schemaDirectory, file), 'utf8'));
}

const resolvers: Resolvers[] = [
  {
    Date: DateScalar,
    DateTime: DateTimeScalar,
    Decimal: DecimalScalar,
    JSON: JsonScalar,
    Query: { ping: () => true, viewer: (_, __, { viewer }) => ({ user: viewer.user, roles: [...viewer.roles] }), today: (_, __, { now }) => now() },
  },
  enterpriseResolvers,
  ingestResolvers,
  sourceResolvers,
  riskResolvers,
  originationResolvers,
  monitoringResolvers,
  demoResolvers,
];

export function buildSchema() {
  return applyAuthorization(makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers, inheritResolversFromInterfaces: true }));
}
