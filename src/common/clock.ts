/**
 * The one module that reads the machine's time; lint (eslint.config.js) keeps `Date.now()`,
 * `new Date()` and SQL's `now()` out of everywhere else.
 *
 * Three kinds of time, each asked of its own source:
 * - **the hub's today** (`Clock`, injected): what business dates are on — a fact observed, a
 *   sync run, a consent's expiry, an application, a loan, an alert. Production's is
 *   `systemClock`; the demo's runs its story (src/demo/clock.ts); tests pin it to their data's
 *   date, so a suite passes on any day.
 * - **real time** (`systemClock`, injected where it is used): how long a credential lives and
 *   when an audit line was written, which the demo's months must not move.
 * - **elapsed time** (`monotonicMs`): timeouts, backoff, progress; never a date.
 */

/** What time it is, on one clock. */
export type Clock = () => Date;

/** The machine's clock. */
export const systemClock: Clock = () => new Date();

/** Milliseconds from an arbitrary origin, never going back: for durations only. */
export const monotonicMs = (): number => performance.now();

/**
 * A clock that reads `start` now and then runs in real time: a hub pinned to its data's date
 * (tests, benchmarks, the CLI's offline commands) that still sees time pass between its steps.
 */
export function clockFrom(start: Date | string, real: Clock = systemClock): Clock {
  const offset = new Date(start).getTime() - real().getTime();
  if (Number.isNaN(offset)) throw new RangeError(`${String(start)} is not a time`);
  return () => new Date(real().getTime() + offset);
}
