import { runContractSuite } from '../kit/contract-suite.js';
import { utilityContract } from './contract.js';

runContractSuite(utilityContract);
