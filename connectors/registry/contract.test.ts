import { runContractSuite } from '../kit/contract-suite.js';
import { registryContract } from './contract.js';

runContractSuite(registryContract);
