import type { EnterpriseBundle, Portfolio } from '../../src/world/index.js';
import type { CanonicalRecord, Connector, Normalized } from '../../src/ingest/sdk.js';
import type { FaultSettings } from './faults.js';
import type { SandboxHandle } from './sandbox.js';

/** How the hub, the tests and `npm start` start a connector's sandbox. */
export interface SandboxOptions {
  portfolio: Portfolio;
  /** @default 0: any free port */
  port?: number;
  /** @default 127.0.0.1 */
  host?: string;
  faults?: FaultSettings;
}

/** A simulator of a connector's upstream, serving the demo portfolio in the upstream's wire format. */
export interface UpstreamSandbox<Config> {
  start(options: SandboxOptions): Promise<SandboxHandle>;
  /** The connector's configuration for a sandbox listening at `url`, with the sandbox's demo credentials. */
  config(url: string): Config;
}

/** A connector as the hub ships it: the connector and the sandbox of its upstream. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of sources holds many configuration types
export interface Source<Config extends { baseUrl: string } = any> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the client's type is the connector's own business
  connector: Connector<Config, any>;
  sandbox: UpstreamSandbox<Config>;
}

/** Raw upstream records from a fixture file and what the normalizer must make of each. */
export interface FixtureCase {
  name: string;
  stream: string;
  uscc: string;
  records: unknown[];
  expected: Normalized[];
}

/** What the contract suite (connectors/kit/contract-suite.ts) checks a connector against. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the suite runs any connector's contract
export interface ConnectorContract<Config extends { baseUrl: string } = any> extends Source<Config> {
  fixtures: FixtureCase[];
  /**
   * The canonical records the upstream holds about one enterprise as of `clock`: after a
   * complete sync, the store's current facts from this source are exactly these.
   */
  expected(enterprise: EnterpriseBundle, clock: string, portfolio: Portfolio): CanonicalRecord[];
}
