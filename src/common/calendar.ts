/**
 * Calendar arithmetic for the demo in whole UTC days and months, never local time: a day is
 * its number since 1970-01-01, a month is year × 12 + (month − 1). Formatted dates and
 * timestamps are cached, so the millions of records of a large portfolio share their strings,
 * and so are parsed days and their months, which the features read again and again.
 */
const MS_PER_DAY = 86_400_000;

const dayCache = new Map<number, string>();
const stampCache = new Map<number, string>();

const parsedDays = new Map<string, number>();

/** The day number of a `YYYY-MM-DD` string. */
export function parseDay(text: string): number {
  const cached = parsedDays.get(text);
  if (cached !== undefined) return cached;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`'${text}' is not a YYYY-MM-DD date`);
  const [, y, m, d] = match;
  const day = Date.UTC(Number(y), Number(m) - 1, Number(d)) / MS_PER_DAY;
  if (formatDay(day) !== text) throw new RangeError(`'${text}' is not a calendar date`);
  parsedDays.set(text, day);
  return day;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  let text = dayCache.get(day);
  if (text === undefined) {
    text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    dayCache.set(day, text);
  }
  return text;
}

/** An ISO 8601 UTC timestamp on a day at a given minute of the day (0..1439). */
export function formatStamp(day: number, minuteOfDay = 0): string {
  const key = day * 1440 + minuteOfDay;
  let text = stampCache.get(key);
  if (text === undefined) {
    text = new Date(key * 60_000).toISOString();
    stampCache.set(key, text);
  }
  return text;
}

const monthsOfDays = new Map<number, number>();

/** The month number (year × 12 + month − 1) containing a day. */
export function monthOfDay(day: number): number {
  let month = monthsOfDays.get(day);
  if (month === undefined) {
    const date = new Date(day * MS_PER_DAY);
    month = date.getUTCFullYear() * 12 + date.getUTCMonth();
    monthsOfDays.set(day, month);
  }
  return month;
}

/** The first day of a month number. */
export function monthStart(month: number): number {
  return Date.UTC(Math.floor(month / 12), month % 12, 1) / MS_PER_DAY;
}

/** A day of a month (1-based), clamped to the month's length. */
export function dayInMonth(month: number, dayOfMonth: number): number {
  return monthStart(month) + Math.min(dayOfMonth, daysInMonth(month)) - 1;
}

export function daysInMonth(month: number): number {
  return monthStart(month + 1) - monthStart(month);
}

/** `YYYY-MM-01` of a month number. */
export function formatMonth(month: number): string {
  return formatDay(monthStart(month));
}

export function yearOfMonth(month: number): number {
  return Math.floor(month / 12);
}

/** 1..12 */
export function calendarMonth(month: number): number {
  return (month % 12) + 1;
}

/** The month number of a `YYYY-MM-01` string; any other day is refused. */
export function parseMonth(text: string): number {
  const day = parseDay(text);
  if (!text.endsWith('-01')) throw new RangeError(`'${text}' is not the first day of a month`);
  return monthOfDay(day);
}

/** The day `years` calendar years before or after `day` (29 February falls back to the 28th). */
export function addYears(day: number, years: number): number {
  const date = new Date(day * MS_PER_DAY);
  const year = date.getUTCFullYear() + years;
  const month = date.getUTCMonth();
  const dayOfMonth = Math.min(date.getUTCDate(), daysInMonth(year * 12 + month));
  return Date.UTC(year, month, dayOfMonth) / MS_PER_DAY;
}
