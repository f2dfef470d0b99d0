import { IngestService } from '../ingest/service.js';
import { bindFromEnvironment } from '../ingest/connector-config.js';
import { connectors } from '../ingest/registry.js';
import type { Store } from '../store/database.js';
import { createLoaders, type Loaders } from './loaders.js';

/** The hub's long-lived services, shared by every request. */
export interface HubServices {
  store: Store;
  ingest: IngestService;
}

/** What every resolver gets: the services, this request's DataLoaders, and who is acting. */
export interface GraphQLContext extends HubServices {
  loaders: Loaders;
  /** Until authentication lands every caller is anonymous; audit fields record it as such. */
  actor: string;
}

/**
 * The services over a store, with every connector registered and those configured in
 * `environment` bound to their upstreams (none by default: a hub that reads but cannot sync).
 */
export function createServices(store: Store, options: { personIdSalt: string }, environment: NodeJS.ProcessEnv = {}): HubServices {
  return { store, ingest: new IngestService(store, connectors, bindFromEnvironment(connectors, environment), options) };
}

export function createContext(services: HubServices): GraphQLContext {
  return { ...services, loaders: createLoaders(services.store.db), actor: 'anonymous' };
}
