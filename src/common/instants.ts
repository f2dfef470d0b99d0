/**
 * Dates and instants as clients and operators write them, parsed strictly: a real day of the
 * calendar in the years the hub accepts (JavaScript's Date would read 2026-02-30 as 2 March),
 * and instants in RFC 3339 with seconds and a zone. One parser for the API's scalars and the CLI.
 */

/** The years a date or instant may name: wider than any credit file, narrow enough for every store and clock. */
export const YEARS = { from: 1900, to: 2200 } as const;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339's date-time: seconds required, an optional fraction, Z or an offset.
const instantPattern = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** Whether year, month and day name a day of the calendar within YEARS. */
function realDay(year: number, month: number, day: number): boolean {
  if (year < YEARS.from || year > YEARS.to || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Whether `text` is `YYYY-MM-DD`, a real day within YEARS. */
export function isCalendarDay(text: string): boolean {
  const match = dayPattern.exec(text);
  return match !== null && realDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** The instant `text` names in RFC 3339 (seconds and a zone required, a real day within YEARS), or null. */
export function parseInstant(text: string): Date | null {
  const match = instantPattern.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, , zone, offsetHours, offsetMinutes] = match;
  const real =
    realDay(Number(year), Number(month), Number(day)) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60 &&
    (zone!.toUpperCase() === 'Z' || (Number(offsetHours) < 24 && Number(offsetMinutes) < 60));
  return real ? new Date(text) : null;
}
