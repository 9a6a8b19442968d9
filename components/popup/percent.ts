/**
 * Percentages as the popup writes them, in the reader's locale through Intl (so "90 %" in French, "90%" in
 * English): the headline with at most one decimal, interval bounds always with one, so "78.6–95.7%" never reads
 * as more precise at one end than at the other.
 */
import type { Interval } from '../../lib/metrics';

const NUMBER_PARTS = new Set(['integer', 'group', 'decimal', 'fraction']);

/** The three formats for `locale` (the popup's language; the browser's when not given), built once each. */
const formats = new Map<string, { headline: Intl.NumberFormat; bound: Intl.NumberFormat; boundNumber: Intl.NumberFormat }>();
function formatsFor(locale: string | undefined) {
  const key = locale ?? '';
  let found = formats.get(key);
  if (!found) {
    found = {
      headline: new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }),
      bound: new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      boundNumber: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    };
    formats.set(key, found);
  }
  return found;
}

export function formatPercent(value: number, locale?: string): string {
  return formatsFor(locale).headline.format(value);
}

/**
 * `78.6–95.7%`: the high bound formatted whole, with the low bound's number put before its number, so the
 * percent sign appears once and wherever the locale puts it ("%78,6–95,7" in Turkish). Not formatRange, which
 * prints "~96%" when both bounds round alike and so hides the interval.
 */
export function formatInterval({ low, high }: Interval, locale?: string): string {
  const { bound, boundNumber } = formatsFor(locale);
  const parts = bound.formatToParts(high);
  const first = parts.findIndex((part) => NUMBER_PARTS.has(part.type));
  const last = parts.findLastIndex((part) => NUMBER_PARTS.has(part.type));
  if (first < 0) return `${bound.format(low)}–${bound.format(high)}`;
  const text = (from: number, to: number) =>
    parts
      .slice(from, to)
      .map((part) => part.value)
      .join('');
  return `${text(0, first)}${boundNumber.format(low * 100)}–${text(first, last + 1)}${text(last + 1, parts.length)}`;
}

/** `90% (78.6–95.7%)`. */
export function formatAccuracy(accuracy: number, interval: Interval, locale?: string): string {
  return `${formatPercent(accuracy, locale)} (${formatInterval(interval, locale)})`;
}
