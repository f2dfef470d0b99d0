import { IngestService } from '../ingest/service.js';
import { bindFromEnvironment } from '../ingest/connector-config.js';
import type { BoundConnector } from '../ingest/engine.js';
import { bindConnector, connectors, type ReliabilityOptions } from '../ingest/registry.js';
import { loadRiskConfig, type RiskConfig } from '../risk/config.js';
import { RiskService } from '../risk/service.js';
import type { Store } from '../store/database.js';
import { createLoaders, type Loaders } from './loaders.js';

/** The hub's long-lived services, shared by every request. */
export interface HubServices {
  store: Store;
  ingest: IngestService;
  risk: RiskService;
}

/** What every resolver gets: the services, this request's DataLoaders, and who is acting. */
export interface GraphQLContext extends HubServices {
  loaders: Loaders;
  /** Until authentication lands every caller is anonymous; audit fields record it as such. */
  actor: string;
}

/**
 * The services over a store, with every connector registered and bound to its upstream where
 * configured: in `environment`, or (the demo's sandboxes) in `upstreams`, which the
 * environment overrides. None by default: a hub that reads but cannot sync.
 */
export function createServices(
  store: Store,
  options: {
    personIdSalt: string;
    upstreams?: ReadonlyMap<string, unknown>;
    reliability?: ReliabilityOptions;
    /** Scorecards, rules and products; `config/risk/` by default. */
    riskConfig?: RiskConfig;
  },
  environment: NodeJS.ProcessEnv = {},
): HubServices {
  const fromEnvironment = bindFromEnvironment(connectors, environment);
  const bound = new Map<string, BoundConnector>();
  for (const connector of connectors) {
    const { id } = connector.manifest;
    const upstream = options.upstreams?.get(id);
    const binding = fromEnvironment.get(id) ?? (upstream === undefined ? undefined : bindConnector(connector, upstream, options.reliability));
    if (binding) bound.set(id, binding);
  }
  return {
    store,
    ingest: new IngestService(store, connectors, bound, options),
    risk: new RiskService(store.db, options.riskConfig ?? loadRiskConfig()),
  };
}

export function createContext(services: HubServices): GraphQLContext {
  return { ...services, loaders: createLoaders(services.store.db), actor: 'anonymous' };
}
