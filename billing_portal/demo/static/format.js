// How the demo writes amounts and dates, in the browser's language.

// Stripe amounts are in the currency's smallest unit: cents for USD, yen for JPY.
export function money(amount, currency) {
  const format = new Intl.NumberFormat(undefined, {
    style: "currency",
    currency: currency.toUpperCase(),
  });
  const digits = format.resolvedOptions().maximumFractionDigits;
  return format.format(amount / 10 ** digits);
}

export function day(isoDate) {
  return new Date(isoDate).toLocaleDateString(undefined, { dateStyle: "medium" });
}

// "month" -> "per month", 3 "month" -> "every 3 months", null (one-time) -> "once".
export function cadence(interval, count = 1) {
  if (!interval) return "one-time";
  return count > 1 ? `every ${count} ${interval}s` : `per ${interval}`;
}
