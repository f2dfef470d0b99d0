import { IngestService } from '../ingest/service.js';
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

/** Services with every connector registered and none configured: a hub that reads but cannot sync. */
export function readOnlyServices(store: Store): HubServices {
  return { store, ingest: new IngestService(store, connectors, new Map()) };
}

export function createContext(services: HubServices): GraphQLContext {
  return { ...services, loaders: createLoaders(services.store.db), actor: 'anonymous' };
}
