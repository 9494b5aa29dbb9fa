import { ProblemException } from '@switchboard/platform';
import { assertDraft, assertTransition, documentNumber } from './invoice';

describe('invoice numbers and statuses', () => {
  it('numbers documents per series and year with six digits', () => {
    expect(documentNumber('invoice', 2026, 1)).toBe('INV-2026-000001');
    expect(documentNumber('credit_note', 2027, 42)).toBe('CN-2027-000042');
    expect(documentNumber('invoice', 2026, 1_234_567)).toBe('INV-2026-1234567');
    expect(() => documentNumber('invoice', 2026, 0)).toThrow();
  });

  it('moves draft → open → sent → paid, voids open or sent, and nothing after paid or void', () => {
    expect(() => assertTransition('i', 'invoice', 'draft', 'open')).not.toThrow();
    expect(() => assertTransition('i', 'invoice', 'open', 'sent')).not.toThrow();
    expect(() => assertTransition('i', 'invoice', 'sent', 'paid')).not.toThrow();
    expect(() => assertTransition('i', 'invoice', 'sent', 'void')).not.toThrow();
    for (const [from, to] of [['draft', 'sent'], ['draft', 'paid'], ['paid', 'void'], ['void', 'paid'], ['paid', 'sent']] as const) {
      expect(() => assertTransition('i', 'invoice', from, to)).toThrow(ProblemException);
    }
    expect(() => assertTransition('c', 'credit_note', 'sent', 'paid')).toThrow(/not paid/);
    expect(() => assertDraft('i', 'sent')).toThrow(/credit note/);
  });
});
