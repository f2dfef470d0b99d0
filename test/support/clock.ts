import { clockFrom, type Clock } from '../../src/common/clock.js';
import { TEST_CLOCK } from './demo.js';

/**
 * The hub's today in a test: the first instant of its data's date (the portfolio's clock,
 * TEST_CLOCK by default), running in real time from there, so the suite passes on any day.
 * A process the test starts gets the same date through CLOCK_START.
 */
export function testClock(day: string = TEST_CLOCK): Clock {
  return clockFrom(`${day}T00:00:00.000Z`);
}

/**
 * An environment without libfaketime (CI's run a year ahead), for the programs that cannot run
 * under it: PostgreSQL, whose own timers then never fire (a deadlock was never detected), and
 * Chromium, which hangs. They keep the real clock; the hub and the console ask their own.
 */
export function withoutFaketime(environment: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) if (value !== undefined && name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME')) kept[name] = value;
  return kept;
}
