import { sql } from 'kysely';
import { Command, InvalidArgumentError, Option } from 'commander';
import { systemActor } from '../audit/audit.js';
import { ROLES, type Role } from '../auth/roles.js';
import { createAuthenticator, parseTtl, resolveTokenKeys, signToken } from '../auth/tokens.js';
import { systemClock } from '../common/clock.js';
import { hubClock, loadConfig } from '../config/config.js';
import { createServices, EXPIRY_TASK, RESUME_TASK } from '../graphql/context.js';
import { SWEEP_TASK } from '../monitoring/service.js';
import { startHub, type Hub } from '../server/hub.js';
import { createLogger } from '../server/logger.js';
import { openStore, type Store } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { runOperation } from './hub-client.js';
import { ENTERPRISE_PROFILE } from './operations.js';
import { seedDemoPortfolio } from './seed-demo.js';
import { startDemoUpstreams } from '../demo/fill.js';
import { prepareDemo } from '../demo/prepare.js';
import { demoStory, openDemoWorld } from '../demo/world.js';
import { environmentVariable } from '../ingest/connector-config.js';
import { newConnector } from './new-connector.js';
import { sync } from './sync.js';
import { refresh } from './refresh.js';
import { simulate } from './simulate.js';
import { DEMO_STORY_MONTHS } from '../demo/clock.js';
import { exportFeatures } from './export-features.js';
import { fitScorecardCommand } from './fit-scorecard.js';
import { canonicalUser, checkSeparation, RESERVED_USERS } from '../auth/identity.js';

const program = new Command('creditgraph')
  .description('CreditGraph: the enterprise profile graph and risk view for online SME credit')
  .showHelpAfterError();

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return parsed;
  };
}

program
  .command('serve')
  .description('run the hub: migrate the store; in the demo, start the upstream sandboxes and fill the store through the connectors; serve GraphQL')
  .option('--role <role>', 'api: serve GraphQL and leave jobs to workers; worker: work the job queue and keep its schedules, serving nothing; all: both (npm start)', 'all')
  .action(async (options: { role: string }) => {
    const config = loadConfig();
    const role = options.role;
    if (!['api', 'worker', 'all'].includes(role)) throw new Error(`--role ${role}: api, worker or all`);
    if (role !== 'all' && config.store.kind !== 'postgres') throw new Error(`--role ${role}: processes share the store only on a PostgreSQL server (DATABASE_URL); the embedded store is one process's, --role all`);
    if (role !== 'all' && config.demo.enabled) throw new Error(`--role ${role}: the demo (its sandboxes and clock) runs in one process, --role all; set DEMO=false`);
    const logger = createLogger(config);
    const store = await openStore(config.store);
    if (config.store.kind === 'postgres' && config.store.directUrl) {
      // Behind a pooler the hub cannot set its sessions' settings; JIT left on made a sweep six times slower.
      const { rows } = await sql<{ jit: string }>`SELECT current_setting('jit') AS jit`.execute(store.db);
      if (rows[0]?.jit !== 'off') logger.warn({ jit: rows[0]?.jit }, "JIT is on behind the pooler: set the hub's settings on its database role (README, Scaling out)");
    }
    // In the demo the upstreams are the sandboxes, on loopback, serving the generated story as of the demo's clock.
    const world = config.demo.enabled ? await openDemoWorld(store, config.demo, { create: true, real: systemClock, personIdSalt: config.personIdSalt }) : undefined;
    const services = createServices(
      store,
      { ...config, jobs: { ...config.jobs, onError: (error) => logger.error({ err: error }, 'job queue error') }, ...(world ? { demoWorld: world } : { now: hubClock(config) }) },
      process.env,
    );
    const running: { hub?: Hub } = {};
    let stopping: Promise<void> | undefined;
    // Idempotent: tsx relays the signal the terminal already sent to its whole group, so the
    // hub sees Ctrl-C twice, and the second must not cut the first's clean shutdown short.
    const shutdown = (signal: string) => {
      stopping ??= (async () => {
        logger.info({ signal }, 'shutting down');
        await running.hub?.stop();
        await services.jobs.stop();
        await world?.close();
        await store.close();
        process.exit(0);
      })();
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);

    if (world) {
      logger.info({ sandboxes: Object.fromEntries([...world.upstreams.sandboxes].map(([id, sandbox]) => [id, sandbox.url])), clock: world.clock.current }, 'demo upstreams listening');
    }
    // A worker (or the one process of `all`) takes the queue's jobs and keeps its schedules; an API process only sends jobs.
    const working = role !== 'api';
    await services.jobs.start({
      work: working,
      schedules: working
        ? [
            { task: SWEEP_TASK, cron: config.monitoring.schedule, tz: 'Asia/Shanghai', data: { actor: systemActor('scheduled monitoring sweep') } },
            { task: EXPIRY_TASK, cron: '0 * * * *', tz: 'Asia/Shanghai' },
            { task: RESUME_TASK, cron: '* * * * *', tz: 'Asia/Shanghai' },
          ]
        : [],
    });
    // Runs a previous process left behind are resumed at start, not only a minute later.
    if (working) await services.jobs.send(RESUME_TASK, {});
    if (role === 'worker') {
      logger.info({ role }, 'worker ready: working the job queue');
      return;
    }
    const keys = resolveTokenKeys(config.auth, config.dataDir);
    const tokens = config.nodeEnv === 'production' || keys.kind !== 'secret' ? undefined : await demoTokens(keys.secret);
    running.hub = await startHub({ config, services, authenticator: createAuthenticator(keys, systemClock), logger, ...(tokens ? { demoTokens: tokens } : {}) });
    const sample = await store.db.selectFrom('enterprise').select('uscc').orderBy('id').limit(1).executeTakeFirst();
    printWelcome(running.hub.url, sample?.uscc, tokens, world !== undefined, config.nodeEnv === 'production');
    if (world) {
      // The API answers while the demo is prepared; a preparation cut short finishes on the next start.
      prepareDemo(services, world, { info: (message, fields) => logger.info(fields ?? {}, message) }).then(
        (prepared) => {
          if (prepared) {
            const { olderLoans, currentLoans, sweep } = prepared;
            logger.info({ olderLoans, currentLoans, alerts: sweep.raised, clock: world.clock.current.upstreamsAsOf }, 'demo ready: npm run cli -- simulate --months 1 moves it a month on');
          }
        },
        (error: unknown) => logger.error({ err: error }, 'demo preparation failed'),
      );
    }
  });

program
  .command('migrate')
  .description('apply pending migrations to the store (also done on every start)')
  .action(async () => {
    const config = loadConfig();
    const store = await openStore(config.store, { migrate: false });
    try {
      const result = await migrateToLatest(store.db as never);
      const applied = result.results ?? [];
      console.log(applied.length === 0 ? 'the store is up to date' : applied.map((r) => `${r.status}: ${r.migrationName}`).join('\n'));
    } finally {
      await store.close();
    }
  });

program
  .command('seed')
  .description('generate the deterministic demo portfolio and load it into an empty store')
  // The generator holds the whole portfolio in memory, about 64 KB an enterprise.
  .option('--enterprises <n>', 'number of enterprises', wholeNumber(1, 50_000))
  .option('--seed <n>', 'seed of the generator', wholeNumber(0, 2 ** 32 - 1))
  .action(async (options: { enterprises?: number; seed?: number }) => {
    const config = loadConfig();
    const demo = { ...config.demo, ...options };
    const store = await openStore(config.store);
    try {
      if (!(await isEmpty(store))) {
        throw new Error('the store already holds enterprises; seed loads the demo portfolio into an empty store only');
      }
      const summary = await seedDemoPortfolio(store, { ...config, demo }, (message) => console.error(message));
      console.log(JSON.stringify(summary, null, 2));
    } finally {
      await store.close();
    }
  });

program
  .command('enterprise')
  .description('print an enterprise profile (through the hub when HUB_URL is set)')
  .argument('<uscc>', 'unified social credit code')
  .action(async (uscc: string) => {
    const config = loadConfig();
    const data = await runOperation(config, ENTERPRISE_PROFILE, { uscc });
    console.log(JSON.stringify(data, null, 2));
  });

program
  .command('sync')
  .description('pull sources into the store for all enterprises or one (through the hub when HUB_URL is set)')
  .option('--all', 'every enterprise in the store')
  .option('--enterprise <uscc>', 'one enterprise')
  .option('--source <id...>', 'only these sources (default: every configured one)')
  .option('--concurrency <n>', 'enterprises synced at once (each source\'s own rate limit still applies)', wholeNumber(1, 64), 8)
  .action(async (options: { all?: boolean; enterprise?: string; source?: string[]; concurrency: number }) => {
    const ok = await sync(loadConfig(), options);
    if (!ok) process.exitCode = 1;
  });

program
  .command('refresh')
  .description('sweep the loan book now: pull the sources of every enterprise with a live loan, raise new signals as alerts, print them (through the hub when HUB_URL is set; otherwise this process works the sweep\'s jobs)')
  .action(async () => {
    await refresh(loadConfig(), (line) => console.log(line));
  });

program
  .command('simulate')
  .description("move the demo on a month at a time: the upstream sandboxes serve the story a month later, the book is swept, and the alerts raised are printed (through the hub when HUB_URL is set; a HUB_TOKEN of RISK_MANAGER or ADMIN)")
  .requiredOption('--months <n>', `how many months, up to the story's end (${DEMO_STORY_MONTHS} months after DEMO_CLOCK)`, wholeNumber(1, DEMO_STORY_MONTHS))
  .action(async (options: { months: number }) => {
    await simulate(loadConfig(), options.months, (line) => console.log(line));
  });

program
  .command('sandboxes')
  .description("run every upstream's sandbox for the demo's story as of DEMO_CLOCK (DEMO_SEED, DEMO_ENTERPRISES, SANDBOX_FAULTS) and print the CONNECTOR_* settings that point a hub at them")
  .option('--json', 'print the connector configurations as one line of JSON instead')
  .action(async (options: { json?: boolean }) => {
    const config = loadConfig();
    const upstreams = await startDemoUpstreams(demoStory(config.demo), config.demo.sandboxFaults, `${config.demo.clock}T00:00:00.000Z`);
    if (options.json) console.log(JSON.stringify(Object.fromEntries(upstreams.configs)));
    else {
      for (const [id, connectorConfig] of upstreams.configs) {
        for (const [key, value] of Object.entries(connectorConfig as Record<string, string>)) console.log(`${environmentVariable(id, key)}=${value}`);
      }
    }
    const stop = () => void upstreams.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program
  .command('fit-scorecard')
  .description('fit the scorecard (WOE bins, IV, logistic regression, points) on the labelled demo portfolio and write its configuration, with a report of IV per feature and AUC and KS on a held-out split')
  .option('--enterprises <n>', 'enterprises in the labelled portfolio', wholeNumber(500, 50_000), 3000)
  .option('--seed <n>', 'seed of the generator and of the split', wholeNumber(0, 2 ** 32 - 1))
  .option('--out <file>', 'where to write the scorecard', 'config/risk/scorecard.json')
  .option('--report <file>', 'also write the report (markdown) here')
  .action(async (options: { enterprises: number; seed?: number; out: string; report?: string }) => {
    const config = loadConfig();
    await fitScorecardCommand({ ...options, seed: options.seed ?? config.demo.seed, clock: config.demo.clock, log: (message) => console.error(message) });
  });

program
  .command('export-features')
  .description('write every enterprise\'s feature vector as of a date to a CSV or JSON Lines file, for training sets (through the hub when HUB_URL is set)')
  .requiredOption('--as-of <date>', 'YYYY-MM-DD (its first instant, UTC) or an ISO 8601 instant; not in the future')
  .requiredOption('--out <file>', 'where to write: .csv or .jsonl')
  .option('--names <name...>', 'only these features (default: the whole catalog)')
  .option('--format <format>', 'csv or jsonl, when the file name does not say')
  .action(async (options: { asOf: string; out: string; names?: string[]; format?: string }) => {
    if (options.format !== undefined && options.format !== 'csv' && options.format !== 'jsonl') throw new Error(`--format ${options.format}: csv or jsonl`);
    const rows = await exportFeatures(loadConfig(), { ...options, format: options.format as 'csv' | 'jsonl' | undefined });
    console.error(`wrote ${rows} feature vectors to ${options.out}`);
  });

program
  .command('token')
  .description("print a bearer token signed with this deployment's secret (JWT_SECRET, or in development the one kept in DATA_DIR)")
  .addOption(new Option('--role <role...>', 'one or more roles').choices(ROLES).makeOptionMandatory())
  .requiredOption('--user <name>', 'who the token speaks for, as the audit trail will name them')
  .option('--ttl <duration>', 'how long it is valid, e.g. 30m, 8h, 7d (at most 30d)', '8h')
  .action(async (options: { role: Role[]; user: string; ttl: string }) => {
    const config = loadConfig();
    const keys = resolveTokenKeys(config.auth, config.dataDir);
    if (keys.kind !== 'secret') throw new Error('this hub verifies tokens against JWKS_URL: tokens come from that identity provider');
    // The hub knows a person by one canonical name, and refuses roles one person may not hold together.
    const user = canonicalUser(options.user);
    if (!user) throw new Error('--user must name someone');
    if (RESERVED_USERS.includes(user)) throw new Error(`--user ${user}: the hub's own name for its automatic work`);
    checkSeparation(options.role);
    console.log(await signToken(keys.secret, { user, roles: options.role }, parseTtl(options.ttl), systemClock()));
  });

program
  .command('new-connector')
  .description('scaffold connectors/NAME: a working connector for an example upstream, with its sandbox and contract tests')
  .argument('<name>', 'the source id, e.g. social-insurance')
  .action((name: string) => {
    const written = newConnector(name);
    console.log([`created:`, ...written.map((path) => `  ${path}`), '', `next: node --experimental-vm-modules node_modules/jest/bin/jest.js connectors/${name}`, 'then follow connectors/README.md'].join('\n'));
  });

async function isEmpty(store: Store): Promise<boolean> {
  return (await store.db.selectFrom('enterprise').select('id').limit(1).executeTakeFirst()) === undefined;
}

/** A token per role for the demo's people, valid for a working day. */
async function demoTokens(secret: Uint8Array): Promise<Map<Role, string>> {
  const tokens = new Map<Role, string>();
  for (const role of ROLES) tokens.set(role, await signToken(secret, { user: `demo-${role.toLowerCase().replaceAll('_', '-')}`, roles: [role] }, 8 * 3600, systemClock()));
  return tokens;
}

function printWelcome(url: string, uscc: string | undefined, tokens: Map<Role, string> | undefined, demo: boolean, production: boolean) {
  const query = `{ enterprise(uscc: "${uscc ?? '91320505MA1XXXXXXX'}") { name status legalRepresentative { name } shareholders { shareRatio holder { ... on Person { name } ... on Enterprise { name } } } } }`;
  const riskQuery = `{ enterprise(uscc: "${uscc ?? '91320505MA1XXXXXXX'}") { riskView(product: "invoice-loan") { score grade decision reasonCodes { code text { en } } recommendedLimit { amount } } } }`;
  const auth = tokens ? ` -H "authorization: Bearer $TOKEN"` : ` -H "authorization: Bearer <a token from your identity provider>"`;
  console.log(
    [
      '',
      `CreditGraph is up: GraphQL at ${url}/graphql, health at ${url}/healthz`,
      `The risk console: ${url}/${production ? '' : `   GraphiQL: ${url}/graphiql`}`,
      ...(tokens
        ? ['Tokens for the demo, one per role, valid 8 hours (npm run cli -- token --role ROLE --user NAME makes more):', ...[...tokens].map(([role, token]) => `  ${role.padEnd(16)} ${token}`)]
        : []),
      `Try${tokens ? `, with TOKEN=<the ANALYST token>` : ''}:`,
      `  curl -s ${url}/graphql -H 'content-type: application/json'${auth} \\`,
      `    -d '${JSON.stringify({ query })}'`,
      'and, once the fill has synced it, its risk view:',
      `  curl -s ${url}/graphql -H 'content-type: application/json'${auth} \\`,
      `    -d '${JSON.stringify({ query: riskQuery })}'`,
      ...(demo ? ['Once the log says "demo ready", let a month pass in the demo and see its alerts:', `  HUB_URL=${url} HUB_TOKEN=<the RISK_MANAGER token> npm run cli -- simulate --months 1`] : []),
      '',
    ].join('\n'),
  );
}


program.parseAsync().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
