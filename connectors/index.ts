import type { Source } from './kit/contract.js';
import { courtConnector } from './court/index.js';
import { courtSandbox } from './court/sandbox/server.js';
import { invoiceConnector } from './invoice/index.js';
import { invoiceSandbox } from './invoice/sandbox/server.js';
import { registryConnector } from './registry/index.js';
import { registrySandbox } from './registry/sandbox/server.js';
import { taxConnector } from './tax/index.js';
import { taxSandbox } from './tax/sandbox/server.js';
import { utilityConnector } from './utility/index.js';
import { utilitySandbox } from './utility/sandbox/server.js';
import { socialInsuranceConnector } from './social-insurance/index.js';
import { socialInsuranceSandbox } from './social-insurance/sandbox/server.js';

/**
 * Every source the hub ships, in sync order — the registry first, since the others' records
 * link to the persons and enterprises it names. Adding a source means adding it here.
 */
export const sources: readonly Source[] = [
  { connector: registryConnector, sandbox: registrySandbox },
  { connector: taxConnector, sandbox: taxSandbox },
  { connector: courtConnector, sandbox: courtSandbox },
  { connector: invoiceConnector, sandbox: invoiceSandbox },
  { connector: utilityConnector, sandbox: utilitySandbox },
  { connector: socialInsuranceConnector, sandbox: socialInsuranceSandbox },
];
