import { runContractSuite } from '../kit/contract-suite.js';
import { courtContract } from './contract.js';

// Judicial records are rare, as in life: the suite's default portfolio has none. This one has
// cases at six enterprises, and enforcements against an enterprise and a legal representative.
runContractSuite(courtContract, { seed: 63, enterprises: 8 });
