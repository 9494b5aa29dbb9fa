/**
 * Per-field confidence from grounding, the same for every provider: a value the text states
 * verbatim is likely right, one the text does not contain was inferred (or invented), and a
 * missing value has none. Values from the offline rules are capped lower: rules are brittle.
 */
export function groundingConfidence(schema: Record<string, unknown>, data: Record<string, unknown>, text: string, extractive: boolean): Record<string, number> {
  const haystack = normalise(text);
  const cap = extractive ? 0.7 : 0.95;
  const out: Record<string, number> = {};
  for (const field of Object.keys((schema.properties ?? {}) as object)) {
    const value = data[field];
    if (value === undefined || value === null || value === '') out[field] = 0;
    else if (typeof value === 'boolean') out[field] = Math.min(cap, 0.6);
    else if (typeof value === 'object') out[field] = Math.min(cap, 0.5);
    else out[field] = haystack.includes(normalise(String(value))) ? cap : Math.min(cap, 0.4);
  }
  return out;
}

const normalise = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
