import { systemActor, type Actor } from '../audit/audit.js';
import { decimalToFen, fenToDecimal } from '../common/money.js';
import type { HubServices } from '../graphql/context.js';
import type { RefreshSummary } from '../monitoring/service.js';
import type { OriginationService } from '../origination/service.js';
import type { RiskAssessment } from '../risk/assess.js';
import type { Product } from '../risk/config.js';
import { loadProfilesAsOf } from '../store/profiles-as-of.js';
import { enterprisesToFill, fillThroughConnectors, type FillSummary } from './fill.js';
import { forkRandom } from '../world/index.js';
import type { DemoWorld } from './world.js';

/** Who books the demo's loans; their applications are how a restart knows what is booked. */
export const DEMO_LOAN_OFFICER: Actor = { user: 'demo-loan-officer', roles: ['ANALYST'], purpose: '演示：贷款台账', requestId: null };

export interface DemoPreparation {
  /** Loans booked before DEMO_CLOCK, to enterprises the model approved then. */
  olderLoans: number;
  /** Loans booked at DEMO_CLOCK, to enterprises the model approves then. */
  currentLoans: number;
  /** The first monitoring sweep of the book. */
  sweep: RefreshSummary;
}

export interface PreparationLog {
  info(message: string, fields?: object): void;
}

/**
 * Plays the demo's prehistory, the way the bank would have lived it: a year before DEMO_CLOCK
 * the store is filled through the connectors and a third of the enterprises the model approves
 * get a two-year line; the clock moves to DEMO_CLOCK, every source is synced again, half of
 * the enterprises the model approves now get a one-year line, and a first monitoring sweep
 * finds the older loans whose enterprises have turned since. Every loan goes through
 * origination (consent, pulls, the frozen assessment, automatic approval by the product's
 * rules). Each step is idempotent, so a preparation cut short finishes on the next start; one
 * hub prepares a store (several hub processes on one store are issue 9's).
 */
export async function prepareDemo(services: HubServices, world: DemoWorld, log: PreparationLog): Promise<DemoPreparation | undefined> {
  const { clock } = world;
  if (clock.current.prepared) return undefined;
  const actor = systemActor('demo preparation: the loan book and its history');
  const sourceIds = [...world.upstreams.configs.keys()];
  if (clock.current.monthsAdvanced < 0) {
    log.info(`demo prehistory: filling the store as of ${clock.current.upstreamsAsOf.slice(0, 10)}`);
    await fill(services, await enterprisesToFill(services.store, sourceIds), log);
    log.info(`demo prehistory: ${await bookLoans(services, world, { share: 1 / 3, termMonths: 24 })} loans booked`);
    await world.advance(actor, -clock.current.monthsAdvanced, { preparing: true });
  }
  log.info(`demo: the clock is at ${clock.current.upstreamsAsOf.slice(0, 10)}; syncing every source`);
  const enterprises = (await services.store.db.selectFrom('enterprise').select('id').orderBy('id').execute()).map((row) => row.id);
  log.info('demo fill complete', await fill(services, enterprises, log));
  await bookLoans(services, world, { share: 1 / 2, termMonths: 12 });
  const sweep = await services.monitoring.refresh(actor);
  await clock.markPrepared(actor);
  const startsAt = new Date(`${clock.current.startsOn}T00:00:00.000Z`);
  const loans = await services.store.db.selectFrom('loan').select('openedAt').execute();
  return { olderLoans: loans.filter((loan) => loan.openedAt < startsAt).length, currentLoans: loans.filter((loan) => loan.openedAt >= startsAt).length, sweep };
}

function fill(services: HubServices, enterpriseIds: readonly string[], log: PreparationLog): Promise<FillSummary> {
  return fillThroughConnectors(services.ingest, enterpriseIds, {
    concurrency: 4,
    report: (done, total) => log.info(`demo fill: ${done}/${total} enterprises synced`),
  });
}

/**
 * Books a share of the enterprises the model approves now, drawn from the demo's seed, skipping
 * those with a demo application already: the most the product approves automatically, within
 * the model's limit, through the hub's own origination.
 */
async function bookLoans(services: HubServices, world: DemoWorld, { share, termMonths }: { share: number; termMonths: number }): Promise<number> {
  const { store, risk, origination } = services;
  const applications = await store.db.selectFrom('application').select(['id', 'enterpriseId', 'state']).where('createdBy', '=', DEMO_LOAN_OFFICER.user).execute();
  // An application the last run created and was stopped before submitting is submitted now.
  for (const draft of applications.filter((application) => application.state === 'DRAFT')) await origination.submit(DEMO_LOAN_OFFICER, draft.id);
  const booked = new Set(applications.map((application) => application.enterpriseId));
  const enterprises = (await store.db.selectFrom('enterprise').select(['id', 'uscc']).orderBy('id').execute()).filter((enterprise) => !booked.has(enterprise.id));
  const products = [risk.product('tax-loan'), risk.product('invoice-loan')];
  let count = 0;
  for (let start = 0; start < enterprises.length; start += 200) {
    const chunk = enterprises.slice(start, start + 200);
    const profiles = await loadProfilesAsOf(store.db, chunk.map((enterprise) => enterprise.id), world.clock.now());
    for (const enterprise of chunk) {
      const rng = forkRandom(world.portfolio.options.seed, 'demo-loan', world.clock.current.monthsAdvanced, enterprise.uscc);
      if (!rng.bernoulli(share)) continue;
      const product = rng.pick(products.filter((candidate) => candidate.maxTermMonths >= termMonths));
      const view = risk.assess(profiles.get(enterprise.id)!, product);
      if (isAutomaticApproval(view, product) && (await originate(origination, enterprise.uscc, product, view.recommendedLimitFen!, termMonths))) count++;
    }
  }
  return count;
}

function isAutomaticApproval({ decision, grade, recommendedLimitFen }: RiskAssessment, product: Product): boolean {
  return decision === 'APPROVE' && recommendedLimitFen !== null && product.autoApproveGrades.includes(grade);
}

/** True when the application was approved and booked. */
async function originate(origination: OriginationService, uscc: string, product: Product, limitFen: bigint, termMonths: number): Promise<boolean> {
  const cap = decimalToFen(product.autoApproveMaxAmount);
  const amountFen = limitFen < cap ? limitFen : cap;
  if (amountFen < decimalToFen(product.minAmount)) return false;
  const application = await origination.create(DEMO_LOAN_OFFICER, { uscc, product: product.id, amount: fenToDecimal(amountFen), termMonths });
  return (await origination.submit(DEMO_LOAN_OFFICER, application.id)).state === 'APPROVED';
}
