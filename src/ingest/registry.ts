import { sources } from '../../connectors/index.js';
import type { AnyConnector } from './sdk.js';

/** Every connector the hub knows (connectors/index.ts lists them with their sandboxes). */
export const connectors: readonly AnyConnector[] = sources.map((source) => source.connector);
