import type { Source } from './kit/contract.js';
import { taxConnector } from './tax/index.js';
import { taxSandbox } from './tax/sandbox/server.js';

/**
 * Every source the hub ships, in sync order: adding a source means adding it here
 * (`npm run cli -- new-connector NAME` does).
 */
export const sources: readonly Source[] = [
  { connector: taxConnector, sandbox: taxSandbox },
];
