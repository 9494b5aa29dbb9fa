import { ProblemException, type FieldError } from '@switchboard/platform';

/** Quantities carry up to six decimals (a third of an hour is 0.333333); they are kept as millionths. */
export const QUANTITY_DECIMALS = 6;
const QUANTITY_SCALE = 1_000_000n;
export const MAX_QUANTITY = 1_000_000;
/** Largest unit price in minor units (100 million in a two-decimal currency), as in the service catalog. */
export const MAX_UNIT_PRICE = 10_000_000_000;
/** 100 % in basis points; tax rates are basis points like the catalog's (8.25 % = 825). */
export const MAX_TAX_RATE_BP = 10_000;
export const MAX_LINES = 200;

export const invalid = (errors: FieldError[], detail = errors.map((e) => `${e.field} ${e.message}`).join('; ')) =>
  new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail, errors });

/**
 * Divides and rounds half away from zero ("half-up" on magnitudes), so a credit note's amounts are
 * exactly the negatives of the invoice's: -0.5 cent rounds to -1 as 0.5 rounds to 1.
 */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (d * 2n);
  return negative ? -q : q;
}

/** A decimal quantity as millionths; refuses zero, negatives, more than six decimals, exponents and absurd sizes. */
export function quantityMillionths(value: string | number, field = 'quantity'): bigint {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? numberText(value) : '') : value.trim();
  const match = /^(\d{1,7})(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) throw invalid([{ field, message: `must be a positive decimal with at most ${QUANTITY_DECIMALS} decimals, such as "1.5" or "0.333333"` }]);
  const millionths = BigInt(match[1]!) * QUANTITY_SCALE + BigInt((match[2] ?? '').padEnd(6, '0'));
  if (millionths <= 0n) throw invalid([{ field, message: 'must be greater than zero' }]);
  if (millionths > BigInt(MAX_QUANTITY) * QUANTITY_SCALE) throw invalid([{ field, message: `must be at most ${MAX_QUANTITY}` }]);
  return millionths;
}

/** The shortest decimal that reads back as the number (no exponent for the sizes allowed). */
function numberText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(QUANTITY_DECIMALS + 1).replace(/0+$/, '').replace(/\.$/, '');
}

/** Millionths back to a decimal string without trailing zeros: 333333n → "0.333333", 2000000n → "2". */
export function quantityText(millionths: bigint): string {
  const sign = millionths < 0n ? '-' : '';
  const abs = millionths < 0n ? -millionths : millionths;
  const whole = abs / QUANTITY_SCALE;
  const fraction = (abs % QUANTITY_SCALE).toString().padStart(6, '0').replace(/0+$/, '');
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}

export interface LineInput {
  description: string;
  quantity: string | number;
  unitPrice: number;
  taxRateBp: number;
  serviceId?: string | null;
}

export interface PricedLine {
  position: number;
  description: string;
  /** Decimal string, up to six decimals. */
  quantity: string;
  unitPrice: number;
  taxRateBp: number;
  serviceId: string | null;
  subtotal: number;
  tax: number;
  total: number;
}

export interface InvoiceTotals {
  subtotal: number;
  tax: number;
  total: number;
}

/**
 * One line in integer minor units: subtotal = quantity × unit price, rounded half-up to the minor
 * unit; tax = subtotal × rate, rounded half-up. Rounding is per line (what the customer can check
 * line by line on the document); the totals are plain sums of the rounded lines. `sign` -1 prices a
 * credit note's line: every amount is the negative of the same line on an invoice.
 */
export function priceLine(input: LineInput, position: number, sign: 1 | -1 = 1): PricedLine {
  const errors: FieldError[] = [];
  const at = (f: string) => `lines[${position}].${f}`;
  const description = typeof input.description === 'string' ? input.description.trim() : '';
  if (description.length < 1 || description.length > 500) errors.push({ field: at('description'), message: 'must be 1 to 500 characters' });
  if (!Number.isSafeInteger(input.unitPrice) || input.unitPrice < 0 || input.unitPrice > MAX_UNIT_PRICE) errors.push({ field: at('unitPrice'), message: `must be a whole number of minor units, 0 to ${MAX_UNIT_PRICE}` });
  if (!Number.isInteger(input.taxRateBp) || input.taxRateBp < 0 || input.taxRateBp > MAX_TAX_RATE_BP) errors.push({ field: at('taxRateBp'), message: `must be basis points, 0 to ${MAX_TAX_RATE_BP}` });
  let quantity = 0n;
  try {
    quantity = quantityMillionths(input.quantity, at('quantity'));
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    errors.push(...(error.problem.errors ?? []));
  }
  if (errors.length > 0) throw invalid(errors);
  const subtotal = divideHalfUp(BigInt(sign) * quantity * BigInt(input.unitPrice), QUANTITY_SCALE);
  const tax = divideHalfUp(subtotal * BigInt(input.taxRateBp), 10_000n);
  const total = subtotal + tax;
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < -BigInt(Number.MAX_SAFE_INTEGER)) throw invalid([{ field: at('quantity'), message: 'makes the line total too large' }]);
  return {
    position,
    description,
    quantity: quantityText(quantity),
    unitPrice: input.unitPrice,
    taxRateBp: input.taxRateBp,
    serviceId: input.serviceId ?? null,
    subtotal: Number(subtotal),
    tax: Number(tax),
    total: Number(total),
  };
}

export function priceLines(lines: readonly LineInput[], sign: 1 | -1 = 1): PricedLine[] {
  if (!Array.isArray(lines)) throw invalid([{ field: 'lines', message: 'must be an array' }]);
  if (lines.length > MAX_LINES) throw invalid([{ field: 'lines', message: `has at most ${MAX_LINES} lines` }]);
  return lines.map((line, i) => priceLine(line, i, sign));
}

/** The document's totals: sums of the rounded lines (never re-rounded). */
export function totalsOf(lines: readonly Pick<PricedLine, 'subtotal' | 'tax' | 'total'>[]): InvoiceTotals {
  let subtotal = 0n;
  let tax = 0n;
  for (const line of lines) {
    subtotal += BigInt(line.subtotal);
    tax += BigInt(line.tax);
  }
  return { subtotal: Number(subtotal), tax: Number(tax), total: Number(subtotal + tax) };
}

/** Stored lines and totals agree (what finalising checks before a number is given). */
export function assertTotals(lines: readonly PricedLine[], totals: InvoiceTotals): void {
  const sum = totalsOf(lines);
  for (const line of lines) {
    if (line.subtotal + line.tax !== line.total) throw new Error(`Line ${line.position}: subtotal + tax is not its total`);
  }
  if (sum.subtotal !== totals.subtotal || sum.tax !== totals.tax || sum.total !== totals.total) {
    throw new Error(`The invoice's totals (${totals.total}) are not the sum of its lines (${sum.total})`);
  }
}

/** Minor units per major unit of an ISO 4217 currency (JPY 0, EUR 2, KWD 3). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** An amount in minor units for people: "€1,234.50", "-$0.33"; exact (string arithmetic, not floats). */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  const digits = currencyDigits(currency);
  const negative = minor < 0;
  const abs = BigInt(Math.abs(minor));
  const scale = 10n ** BigInt(digits);
  const major = `${abs / scale}${digits > 0 ? `.${(abs % scale).toString().padStart(digits, '0')}` : ''}`;
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Intl formats a decimal string exactly (no float rounding) since ES2023.
  return format.format(`${negative ? '-' : ''}${major}` as unknown as number);
}
