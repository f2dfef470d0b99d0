import { runContractSuite } from '../kit/contract-suite.js';
import { invoiceContract } from './contract.js';

runContractSuite(invoiceContract);
