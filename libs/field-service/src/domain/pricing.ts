import { unprocessable } from './problems';

export const PRICING_TYPES = ['fixed', 'flexible', 'per_unit'] as const;
export type PricingType = (typeof PRICING_TYPES)[number];

/** Largest unit price in minor units (100 million in a two-decimal currency). */
export const MAX_UNIT_PRICE = 10_000_000_000;
/** Largest quantity on one line; quantities carry at most three decimals. */
export const MAX_QUANTITY = 1_000_000;
/** 100 % in basis points. */
export const MAX_TAX_RATE_BP = 10_000;

export interface ServicePricing {
  pricingType: PricingType;
  unitPrice: number | null;
  unitLabel: string | null;
}

/**
 * The price fields a pricing type needs: fixed has a default price and no unit, flexible has no
 * price (it is set on the job), per-unit has a unit price and a unit label ("window").
 */
export function assertServicePricing({ pricingType, unitPrice, unitLabel }: ServicePricing): void {
  if (pricingType === 'flexible') {
    if (unitPrice !== null) throw unprocessable('unitPrice', 'A flexible service has no catalog price; the price is set on each job.');
    if (unitLabel !== null) throw unprocessable('unitLabel', 'Only a per-unit service has a unit label.');
    return;
  }
  if (unitPrice === null) throw unprocessable('unitPrice', `A ${pricingType === 'fixed' ? 'fixed-price' : 'per-unit'} service needs a unitPrice.`);
  assertMoney('unitPrice', unitPrice);
  if (pricingType === 'per_unit' && unitLabel === null) throw unprocessable('unitLabel', 'A per-unit service needs a unit label, such as "window".');
  if (pricingType === 'fixed' && unitLabel !== null) throw unprocessable('unitLabel', 'Only a per-unit service has a unit label.');
}

export function assertMoney(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw unprocessable(field, `${field} is an amount in minor units: a whole number, not negative.`);
  if (value > MAX_UNIT_PRICE) throw unprocessable(field, `${field} is at most ${MAX_UNIT_PRICE} minor units.`);
}

/** A quantity as thousandths, refusing zero, negatives, more than three decimals and absurd sizes. */
export function quantityInThousandths(quantity: number): number {
  if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0) throw unprocessable('quantity', 'quantity must be greater than zero.');
  if (quantity > MAX_QUANTITY) throw unprocessable('quantity', `quantity is at most ${MAX_QUANTITY}.`);
  const thousandths = Math.round(quantity * 1000);
  if (Math.abs(thousandths - quantity * 1000) > 1e-6) throw unprocessable('quantity', 'quantity has at most three decimals.');
  return thousandths;
}

export interface LineAmounts {
  subtotal: number;
  tax: number;
  total: number;
}

/** Halves round away from zero; amounts are never negative here. */
const divideRounded = (numerator: bigint, denominator: bigint): bigint => (numerator * 2n + denominator) / (denominator * 2n);

/** quantity × unit price, and tax on it, in integer minor units (BigInt: no float ever touches money). */
export function lineAmounts(quantityThousandths: number, unitPrice: number, taxRateBp: number): LineAmounts {
  const subtotal = divideRounded(BigInt(quantityThousandths) * BigInt(unitPrice), 1000n);
  const tax = divideRounded(subtotal * BigInt(taxRateBp), 10_000n);
  const total = subtotal + tax;
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) throw unprocessable('quantity', 'The line total is too large.');
  return { subtotal: Number(subtotal), tax: Number(tax), total: Number(total) };
}

export interface CatalogEntry extends ServicePricing {
  id: string;
  name: string;
  currency: string;
  taxRateBp: number;
  active: boolean;
  deleted: boolean;
}

export interface LineInput {
  serviceId?: string;
  description?: string;
  quantity?: number;
  unitPrice?: number;
  unitLabel?: string;
  taxRateBp?: number;
  currency?: string;
}

export interface PricedLine extends LineAmounts {
  serviceId: string | null;
  description: string;
  quantityThousandths: number;
  unitPrice: number;
  unitLabel: string | null;
  taxRateBp: number;
  currency: string;
}

/**
 * A line item priced by the server. From the catalog: a fixed service takes its price (quantity
 * defaults to 1), a per-unit service its unit price and label, a flexible one the price sent with
 * the line; tax comes from the service. Free text: description and unit price are required.
 * The currency must be the job's once the job has one.
 */
export function priceLine(input: LineInput, service: CatalogEntry | null, jobCurrency: string | null): PricedLine {
  const quantityThousandths = quantityInThousandths(input.quantity ?? 1);
  if (input.unitPrice !== undefined) assertMoney('unitPrice', input.unitPrice);
  if (input.taxRateBp !== undefined && (!Number.isInteger(input.taxRateBp) || input.taxRateBp < 0 || input.taxRateBp > MAX_TAX_RATE_BP)) {
    throw unprocessable('taxRateBp', `taxRateBp is in basis points, 0 to ${MAX_TAX_RATE_BP}.`);
  }
  let line: Omit<PricedLine, keyof LineAmounts>;
  if (service) {
    if (service.deleted || !service.active) throw unprocessable('serviceId', `Service ${service.id} is not offered any more.`);
    if (input.currency !== undefined && input.currency !== service.currency) throw unprocessable('currency', `Service ${service.id} is priced in ${service.currency}.`);
    if (service.pricingType === 'flexible') {
      if (input.unitPrice === undefined) throw unprocessable('unitPrice', `Service "${service.name}" is priced per job: send unitPrice.`);
    } else if (input.unitPrice !== undefined) {
      throw unprocessable('unitPrice', `Service "${service.name}" has a catalog price; leave unitPrice out.`);
    }
    if (input.taxRateBp !== undefined) throw unprocessable('taxRateBp', 'A catalog line takes its tax rate from the service.');
    if (input.unitLabel !== undefined) throw unprocessable('unitLabel', 'A catalog line takes its unit from the service.');
    line = {
      serviceId: service.id,
      description: input.description ?? service.name,
      quantityThousandths,
      unitPrice: service.pricingType === 'flexible' ? input.unitPrice! : service.unitPrice!,
      unitLabel: service.unitLabel,
      taxRateBp: service.taxRateBp,
      currency: service.currency,
    };
  } else {
    if (!input.description) throw unprocessable('description', 'A line without a serviceId needs a description.');
    if (input.unitPrice === undefined) throw unprocessable('unitPrice', 'A line without a serviceId needs a unitPrice.');
    const currency = input.currency ?? jobCurrency;
    if (!currency) throw unprocessable('currency', 'The job has no currency yet: send currency with this line.');
    line = {
      serviceId: null,
      description: input.description,
      quantityThousandths,
      unitPrice: input.unitPrice,
      unitLabel: input.unitLabel ?? null,
      taxRateBp: input.taxRateBp ?? 0,
      currency,
    };
  }
  if (jobCurrency !== null && line.currency !== jobCurrency) {
    throw unprocessable('currency', `The job is billed in ${jobCurrency}; a line in ${line.currency} cannot be added.`, 'currency-mismatch');
  }
  return { ...line, ...lineAmounts(quantityThousandths, line.unitPrice, line.taxRateBp) };
}

export interface Totals extends LineAmounts {
  currency: string | null;
}

/** A job's totals: the sum of its lines, all in the job's currency. */
export function jobTotals(lines: readonly LineAmounts[], currency: string | null): Totals {
  let subtotal = 0n;
  let tax = 0n;
  for (const line of lines) {
    subtotal += BigInt(line.subtotal);
    tax += BigInt(line.tax);
  }
  return { currency, subtotal: Number(subtotal), tax: Number(tax), total: Number(subtotal + tax) };
}
