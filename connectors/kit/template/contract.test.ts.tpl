import { runContractSuite } from '../kit/contract-suite.js';
import { __camel__Contract } from './contract.js';

runContractSuite(__camel__Contract);
