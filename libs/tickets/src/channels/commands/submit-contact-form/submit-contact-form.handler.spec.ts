import { checkExtraFields, messageBody } from './submit-contact-form.handler';

const fields = [
  { key: 'order_number', label: 'Order number', required: true, maxLength: 10 },
  { key: 'floor', label: 'Floor', required: false, maxLength: 5 },
];

describe('contact form submissions', () => {
  it('checks the tenant’s extra fields: required ones present, no unknown keys, within their length', () => {
    expect(checkExtraFields(fields, { order_number: ' A-1 ', floor: '' })).toEqual([{ label: 'Order number', value: 'A-1' }]);
    expect(() => checkExtraFields(fields, {})).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 400, errors: [{ field: 'fields.order_number', message: 'is required' }] }) }));
    expect(() => checkExtraFields(fields, { order_number: 'A-1', coupon: 'x' })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ errors: [{ field: 'fields.coupon', message: 'is not a field of this form' }] }) }));
    expect(() => checkExtraFields(fields, { order_number: 'A-123456789012' })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ status: 400 }) }));
  });

  it('writes the message with what else the visitor filled in below it', () => {
    expect(messageBody({ formToken: 't', name: 'Lee', email: 'l@x.example', message: ' Broken. ' }, [])).toBe('Broken.');
    expect(messageBody({ formToken: 't', name: 'Lee', email: 'l@x.example', message: 'Broken.', phone: '+55 11', company: 'Costa' }, [{ label: 'Order number', value: 'A-1' }])).toBe(
      'Broken.\n\n---\nPhone: +55 11\nCompany: Costa\nOrder number: A-1',
    );
  });
});
