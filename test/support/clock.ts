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
