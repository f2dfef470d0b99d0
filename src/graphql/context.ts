import type { Store } from '../store/database.js';
import { createLoaders, type Loaders } from './loaders.js';

/** What every resolver gets: the store and this request's DataLoaders. */
export interface GraphQLContext {
  store: Store;
  loaders: Loaders;
}

export function createContext(store: Store): GraphQLContext {
  return { store, loaders: createLoaders(store.db) };
}
