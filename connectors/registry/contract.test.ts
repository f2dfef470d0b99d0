import { runContractSuite } from '../kit/contract-suite.js';
import { registryContract } from './contract.js';

// The registry changes slowly: the default five enterprises see no change in the six months the
// suite moves the upstream on; eight do.
runContractSuite(registryContract, { enterprises: 8 });
