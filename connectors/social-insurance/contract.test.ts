import { runContractSuite } from '../kit/contract-suite.js';
import { socialInsuranceContract } from './contract.js';

runContractSuite(socialInsuranceContract);
