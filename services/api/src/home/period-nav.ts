// Calendar helpers for the listings' date picker: ISO weeks and months around a day (UTC).

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function utc(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** ISO 8601 week key (YYYY-Www) of a YYYY-MM-DD day. */
export function isoWeekOf(day: string): string {
  const d = utc(day);
  const dow = (d.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(d.getTime() + (3 - dow) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const week1Monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000);
  const week = 1 + Math.round((thursday.getTime() - 3 * 86_400_000 - week1Monday.getTime()) / (7 * 86_400_000));
  return `${year}-W${pad(week)}`;
}

/** YYYY-MM of a YYYY-MM-DD day. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "March 2026" for 2026-03. */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${MONTHS[m - 1] ?? month} ${y}`;
}

/** "Week 11, 2026 (Mar 9 – Mar 15)" from a week key and its range. */
export function weekLabel(week: string, from?: string, to?: string): string {
  const [y, w] = week.split('-W');
  const short = (d: string) => `${MONTHS[Number(d.slice(5, 7)) - 1]?.slice(0, 3) ?? ''} ${Number(d.slice(8, 10))}`;
  return `Week ${Number(w)}, ${y}${from && to ? ` (${short(from)} – ${short(to)})` : ''}`;
}
