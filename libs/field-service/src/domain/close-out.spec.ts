import { decideAttributes, dueOn, nextActionOf, toSuggestions, type AttributeSuggestion } from './close-out';

const suggestions: AttributeSuggestion[] = [
  { key: 'pets', value: 'one dog', confidence: 0.9 },
  { key: 'gate_code', value: '4512', confidence: 0.7 },
  { key: 'parking', value: 'street', confidence: 0.4 },
];

describe('close-out rules', () => {
  it('confirms with the AI value, edits with the given one, drops the rest (mentioned or not)', () => {
    const { confirmed, dropped } = decideAttributes(suggestions, [
      { key: 'pets', action: 'confirm' },
      { key: 'gate_code', action: 'edit', value: ' 9999 ' },
      { key: 'service_preferences', action: 'edit', value: 'mornings' },
    ]);
    expect(confirmed).toEqual([
      { key: 'pets', value: 'one dog', action: 'confirm', aiValue: 'one dog', aiConfidence: 0.9 },
      { key: 'gate_code', value: '9999', action: 'edit', aiValue: '4512', aiConfidence: 0.7 },
      { key: 'service_preferences', value: 'mornings', action: 'edit', aiValue: null, aiConfidence: null },
    ]);
    expect(dropped).toEqual(['parking']);
  });

  it('refuses unknown and repeated keys, an edit without a value, a confirm of nothing or of another value (422)', () => {
    const refused = (decisions: Parameters<typeof decideAttributes>[1]) => expect(() => decideAttributes(suggestions, decisions)).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422 }) }));
    refused([{ key: 'shoe_size', action: 'edit', value: '44' }]);
    refused([{ key: 'pets', action: 'drop' }, { key: 'pets', action: 'confirm' }]);
    refused([{ key: 'pets', action: 'edit' }]);
    refused([{ key: 'pets', action: 'edit', value: '   ' }]);
    refused([{ key: 'access_notes', action: 'confirm' }]);
    refused([{ key: 'pets', action: 'confirm', value: 'two cats' }]);
    expect(() => decideAttributes(suggestions, [{ key: 'shoe_size', action: 'edit', value: '44' }])).toThrow(expect.objectContaining({ problem: expect.objectContaining({ type: 'unknown-attribute' }) }));
  });

  it('checks the next action’s fields against its kind', () => {
    expect(nextActionOf({ kind: 'schedule_visit', start: '2027-01-01T09:00:00Z', durationMinutes: 60 })).toEqual({ kind: 'schedule_visit', start: '2027-01-01T09:00:00Z', durationMinutes: 60, technicianId: null });
    expect(nextActionOf({ kind: 'reach_out', inMonths: 6 })).toEqual({ kind: 'reach_out', inMonths: 6 });
    expect(nextActionOf({ kind: 'none' })).toEqual({ kind: 'none' });
    expect(() => nextActionOf({ kind: 'schedule_visit', durationMinutes: 60 })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422 }) }));
    expect(() => nextActionOf({ kind: 'reach_out' })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422 }) }));
    expect(() => nextActionOf({ kind: 'none', inMonths: 2 } as never)).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 422 }) }));
  });

  it('counts the follow-up in calendar months, clamped to the month’s end', () => {
    expect(dueOn(new Date('2026-12-06T21:00:00Z'), 6)).toBe('2027-06-06');
    expect(dueOn(new Date('2027-01-31T10:00:00Z'), 1)).toBe('2027-02-28');
  });

  it('turns a valid answer into suggestions in key order, rounded, blanks and nulls left out', () => {
    expect(toSuggestions({ gate_code: { value: ' 12 ', confidence: 0.12345 }, pets: null, parking: { value: '  ', confidence: 1 } })).toEqual([{ key: 'gate_code', value: '12', confidence: 0.123 }]);
  });
});
