import { runContractSuite } from '../kit/contract-suite.js';
import { taxContract } from './contract.js';

runContractSuite(taxContract);
