import { ProblemException } from '@switchboard/platform';
import { aTicket, GROUP_ID } from '../testing/fake-repositories';
import { escapeHtml, renderHtml, renderText, unknownPlaceholders, type PlaceholderValues } from './macro-template';
import { macroReferences, MAX_MACRO_ACTIONS, planMacro, readMacroActions, type MacroAction } from './macros';

const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ProblemException) return error.problem;
    throw error;
  }
  throw new Error('expected a problem');
};

const values: PlaceholderValues = {
  'ticket.number': '1001',
  'ticket.subject': 'The boiler makes a knocking noise',
  'ticket.status': 'open',
  'ticket.priority': 'normal',
  'ticket.type': 'question',
  'ticket.requester.name': 'Pat <b>O’Brien</b> & "Co"',
  'ticket.requester.email': 'pat@example.com',
  'agent.name': 'Sam Agent',
  'agent.email': 'sam@acme.example',
};
const TEMPLATE_ID = '99999999-9999-4999-8999-999999999999';
const templates = new Map([[TEMPLATE_ID, { name: 'Boiler service', items: ['Check the pressure', 'Test the flue'] }]]);

describe('macro actions as sent', () => {
  it('reads every action type, normalising tags and trimming bodies', () => {
    const actions = readMacroActions([
      { type: 'set_status', value: 'pending' },
      { type: 'set_priority', value: 'high' },
      { type: 'set_type', value: 'incident' },
      { type: 'set_group', value: GROUP_ID },
      { type: 'set_assignee', value: null },
      { type: 'add_tags', tags: [' VIP ', 'vip', 'boiler'] },
      { type: 'remove_tags', tags: ['spam'] },
      { type: 'add_reply', visibility: 'public', body: '  Hi {{ ticket.requester.name }}  ' },
      { type: 'add_checklist', templateId: TEMPLATE_ID },
    ]);
    expect(actions).toEqual([
      { type: 'set_status', value: 'pending' },
      { type: 'set_priority', value: 'high' },
      { type: 'set_type', value: 'incident' },
      { type: 'set_group', value: GROUP_ID },
      { type: 'set_assignee', value: null },
      { type: 'add_tags', tags: ['boiler', 'vip'] },
      { type: 'remove_tags', tags: ['spam'] },
      { type: 'add_reply', visibility: 'public', body: 'Hi {{ ticket.requester.name }}' },
      { type: 'add_checklist', templateId: TEMPLATE_ID },
    ]);
  });

  it('refuses bad shapes with a 400 naming each field, unknown properties included', () => {
    const p = problem(() =>
      readMacroActions([
        { type: 'set_status', value: 'new' },
        { type: 'set_priority', value: 'whenever' },
        { type: 'explode' },
        'not an object',
        { type: 'add_tags', tags: ['bad tag!'] },
        { type: 'set_group', value: 'x', extra: 1 },
        { type: 'add_reply', visibility: 'loud', body: '   ' },
        { type: 'add_checklist', templateId: "1' OR 1=1 --" },
        { type: 'set_custom_field', fieldId: TEMPLATE_ID, value: 1 },
        { type: 'set_custom_field', key: 'Plan; DROP', value: 'gold' },
        { type: 'set_custom_field', key: 'plan' },
      ]),
    );
    expect(p.status).toBe(400);
    expect(p.errors!.map((e) => e.field)).toEqual([
      'actions[0].value',
      'actions[1].value',
      'actions[2].type',
      'actions[3]',
      'actions[4].tags',
      'actions[5].extra',
      'actions[5].value',
      'actions[6].visibility',
      'actions[6].body',
      'actions[7].templateId',
      'actions[8].fieldId',
      'actions[8].key',
      'actions[9].key',
      'actions[10].value',
    ]);
    expect(problem(() => readMacroActions([])).status).toBe(400);
    expect(problem(() => readMacroActions('set_status')).status).toBe(400);
    expect(problem(() => readMacroActions(Array.from({ length: MAX_MACRO_ACTIONS + 1 }, () => ({ type: 'set_priority', value: 'low' })))).status).toBe(400);
    expect(problem(() => readMacroActions([{ type: '__proto__' }])).errors![0]!.field).toBe('actions[0].type');
  });

  it('refuses an unknown placeholder with a 422 naming it and its action', () => {
    const p = problem(() => readMacroActions([{ type: 'set_priority', value: 'low' }, { type: 'add_reply', visibility: 'internal', body: 'Hi {{ticket.requester.phone}} and {{constructor}}' }]));
    expect(p.status).toBe(422);
    expect(p.type).toBe('unknown-placeholder');
    expect(p.detail).toContain('{{ticket.requester.phone}} in actions[1]');
    expect(p.errors).toEqual([
      { field: 'actions[1].body', message: 'unknown placeholder {{ticket.requester.phone}}' },
      { field: 'actions[1].body', message: 'unknown placeholder {{constructor}}' },
    ]);
  });

  it('lists what each action needs to exist when it runs', () => {
    const actions: MacroAction[] = [
      { type: 'set_group', value: GROUP_ID },
      { type: 'set_group', value: null },
      { type: 'set_assignee', value: 'u1' },
      { type: 'add_checklist', templateId: TEMPLATE_ID },
      { type: 'set_priority', value: 'low' },
    ];
    expect(macroReferences(actions).map((r) => [r.index, r.ref])).toEqual([
      [0, { kind: 'group', id: GROUP_ID }],
      [2, { kind: 'assignee', id: 'u1' }],
      [3, { kind: 'checklist_template', id: TEMPLATE_ID }],
    ]);
  });
});

describe('macro templates', () => {
  it('finds unknown placeholders and stray braces, and accepts the known ones with spaces', () => {
    expect(unknownPlaceholders('{{ticket.number}} {{ agent.name }}')).toEqual([]);
    expect(unknownPlaceholders('{{ticket.number}} {{nope}} {{nope}} {{#section}}')).toEqual(['nope', '#section']);
    expect(unknownPlaceholders('Hello {{ticket.number')).toEqual(['{{']);
    expect(unknownPlaceholders('Hello }} there')).toEqual(['}}']);
  });

  it('renders text as is and HTML escaped, the template’s own text included', () => {
    expect(renderText('Hi {{ticket.requester.name}}, re #{{ticket.number}}', values)).toBe('Hi Pat <b>O’Brien</b> & "Co", re #1001');
    expect(renderHtml('<p>Hi {{ticket.requester.name}}</p>\n{{agent.name}}', values)).toBe('&lt;p&gt;Hi Pat &lt;b&gt;O’Brien&lt;/b&gt; &amp; &quot;Co&quot;&lt;/p&gt;<br>Sam Agent');
    expect(escapeHtml(`<script>alert('x')</script>`)).toBe('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
  });

  it('never evaluates a value as a template', () => {
    const sneaky = { ...values, 'ticket.subject': '{{agent.email}}' };
    expect(renderText('{{ticket.subject}}', sneaky)).toBe('{{agent.email}}');
  });
});

describe('macro preview plan', () => {
  const actions = (list: unknown[]) => readMacroActions(list);

  it('computes the resulting ticket, messages and checklists without side effects', () => {
    const ticket = aTicket({ status: 'new', tags: ['boiler', 'spam'] });
    const plan = planMacro(
      ticket,
      actions([
        { type: 'set_priority', value: 'low' },
        { type: 'set_priority', value: 'urgent' },
        { type: 'add_tags', tags: ['vip'] },
        { type: 'remove_tags', tags: ['spam'] },
        { type: 'set_group', value: GROUP_ID },
        { type: 'add_reply', visibility: 'internal', body: 'Escalated by {{agent.name}}' },
        { type: 'add_reply', visibility: 'public', body: 'Hi {{ticket.requester.name}}' },
        { type: 'add_checklist', templateId: TEMPLATE_ID },
      ]),
      { values, templates },
    );
    expect(plan.changes).toEqual({ priority: 'urgent', groupId: GROUP_ID, tags: ['boiler', 'vip'] });
    // An agent's public reply opens a new ticket, as the message path does.
    expect(plan.ticket).toEqual({ ...ticket, status: 'open', priority: 'urgent', groupId: GROUP_ID, tags: ['boiler', 'vip'] });
    expect(plan.messages).toEqual([
      { visibility: 'internal', body: 'Escalated by Sam Agent', html: 'Escalated by Sam Agent' },
      { visibility: 'public', body: 'Hi Pat <b>O’Brien</b> & "Co"', html: 'Hi Pat &lt;b&gt;O’Brien&lt;/b&gt; &amp; &quot;Co&quot;' },
    ]);
    expect(plan.checklists).toEqual([{ templateId: TEMPLATE_ID, title: 'Boiler service', items: ['Check the pressure', 'Test the flue'] }]);
    expect(ticket.tags).toEqual(['boiler', 'spam']);
  });

  it('leaves out what changes nothing, and keeps an explicit status over a reply', () => {
    const ticket = aTicket({ status: 'open', tags: ['vip'] });
    const plan = planMacro(ticket, actions([{ type: 'add_tags', tags: ['vip'] }, { type: 'set_status', value: 'pending' }, { type: 'add_reply', visibility: 'public', body: 'Waiting for you' }]), { values, templates });
    expect(plan.changes).toEqual({ status: 'pending' });
    expect(plan.ticket.status).toBe('pending');
  });
});
