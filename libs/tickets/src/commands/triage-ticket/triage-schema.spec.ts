import { Ajv } from 'ajv';
import { triageSchema } from './triage-schema';

describe('triage schema', () => {
  it('ask for a schema that accepts the documented triage shape and refuses anything else', () => {
    const validate = new Ajv({ strict: false }).compile(triageSchema(['boiler']));
    expect(validate({ priority: { value: 'urgent', confidence: 0.7 }, tags: [{ value: 'boiler', confidence: 0.6 }] })).toBe(true);
    expect(validate({ priority: 'urgent', tags: [] })).toBe(false);
    expect(validate({ priority: { value: 'critical', confidence: 0.7 }, tags: [] })).toBe(false);
    expect(validate({ priority: { value: 'low', confidence: 1.5 }, tags: [] })).toBe(false);
    expect(validate({ priority: { value: 'low', confidence: 0.5 }, tags: [{ value: 'Not A Tag!', confidence: 0.5 }] })).toBe(false);
    expect(validate({ priority: { value: 'low', confidence: 0.5 }, tags: [], group: 'x' })).toBe(false);
  });
});
