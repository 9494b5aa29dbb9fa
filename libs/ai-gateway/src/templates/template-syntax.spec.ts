import { ProblemException } from '@switchboard/platform';
import { compileTemplate, renderCompiled } from './compiled-template';
import { defineAiFeature } from '../features/ai-feature';
import { extractionFeature } from '../features/gateway-features';
import { variable, type Conversation, type TemplatePassage } from './template-variables';
import { checkTemplate, parseTemplate, renderTemplate, TemplateSyntaxError, type TemplateContract } from './template-syntax';

const CONTRACT: TemplateContract = { question: { kind: 'text' }, tags: { kind: 'list' }, passages: { kind: 'records', fields: ['n', 'title', 'text'] } };
const render = (source: string, values: Record<string, any>) => {
  const parsed = parseTemplate(source);
  expect(checkTemplate(parsed, CONTRACT)).toEqual([]);
  return renderTemplate(parsed, values);
};
const problem = (fn: () => unknown): any => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemException);
    return (error as ProblemException).problem;
  }
  throw new Error('expected a problem');
};

describe('template syntax', () => {
  it('substitutes variables verbatim (no escaping, no code)', () => {
    expect(render('Q: {{question}} / {{ question }}', { question: '<b>{{tags}}</b> & ${process.exit()}' })).toBe('Q: <b>{{tags}}</b> & ${process.exit()} / <b>{{tags}}</b> & ${process.exit()}');
    expect(render('Tags: {{tags}}.', { tags: ['a', 'b'] })).toBe('Tags: a, b.');
  });

  it('repeats sections per item, shows inverted sections when empty, and drops standalone tag lines', () => {
    const source = 'Passages:\n{{#passages}}\n[{{n}}] {{title}}: {{text}}\n{{/passages}}\n{{^passages}}\n(none)\n{{/passages}}\nEnd';
    expect(render(source, { passages: [{ n: '1', title: 'A', text: 'x' }, { n: '2', title: 'B', text: 'y' }] })).toBe('Passages:\n[1] A: x\n[2] B: y\nEnd');
    expect(render(source, { passages: [] })).toBe('Passages:\n(none)\nEnd');
    expect(render('{{#tags}}<{{.}}>{{/tags}}{{! a comment }}', { tags: ['x', 'y'] })).toBe('<x><y>');
    expect(render('{{#question}}asked: {{question}}{{/question}}{{^question}}nothing{{/question}}', { question: '' })).toBe('nothing');
    // Fields of the item win over outer names; outer names stay reachable.
    expect(render('{{#passages}}{{text}}/{{question}} {{/passages}}', { question: 'q', passages: [{ n: '1', title: '', text: 't' }] })).toBe('t/q ');
  });

  it('reports malformed templates with line and column', () => {
    const err = (source: string) => {
      try {
        parseTemplate(source);
      } catch (e) {
        expect(e).toBeInstanceOf(TemplateSyntaxError);
        return (e as Error).message;
      }
      throw new Error('expected a syntax error');
    };
    expect(err('Hello {{question')).toBe('"{{" is never closed with "}}" (line 1, column 7)');
    expect(err('a\n{{#passages}}\nx')).toMatch(/section "passages" is never closed.*line 2, column 1/);
    expect(err('{{#tags}}{{/passages}}')).toMatch(/closes "\{\{#tags}}" opened at line 1/);
    expect(err('{{/tags}}')).toMatch(/never opened/);
    expect(err('{{> partial}}')).toMatch(/not supported/);
    expect(err('{{{question}}}')).toMatch(/not supported/);
    expect(err('{{question.length}}')).toMatch(/not a variable name/);
    expect(err('{{}}')).toMatch(/empty tag/);
  });

  it('names unknown variables and misuse of lists', () => {
    const check = (source: string) => checkTemplate(parseTemplate(source), CONTRACT);
    expect(check('{{questoin}}')).toEqual([expect.stringMatching(/^unknown variable "questoin" \(line 1, column 1\); known: question, tags, passages$/)]);
    expect(check('{{passages}}')).toEqual([expect.stringMatching(/"passages" is a list of records.*use \{\{#passages}}/)]);
    expect(check('{{.}}')).toEqual([expect.stringMatching(/only meaningful inside a section/)]);
    expect(check('{{#passages}}{{url}}{{/passages}}')).toEqual([expect.stringMatching(/unknown variable "url".*fields here: n, title, text/)]);
    expect(check('{{text}}')).toEqual([expect.stringMatching(/unknown variable "text"/)]);
  });
});

/** A feature of this spec's own, with one variable of every kind (the contexts' features have specs of their own). */
const notes = defineAiFeature<{ subject: string; conversation: Conversation; passages: (TemplatePassage | string)[]; tags: string[]; schema: Record<string, unknown> | string }>({
  name: 'notes',
  description: 'test',
  contract: { subject: variable.text, conversation: variable.conversation, passages: variable.passages, tags: variable.list, schema: variable.json },
  defaultTemplate: [
    { role: 'system', content: 'Tags: {{tags}}.\n{{schema}}' },
    { role: 'user', content: '{{#passages}}\n[{{n}}]{{#title}} {{title}}{{/title}}\n{{text}}\n\n{{/passages}}\n{{^passages}}\n(none)\n{{/passages}}' },
    { role: 'user', content: 'Subject: {{subject}}\n\n{{conversation}}' },
  ],
});

describe('compiled templates', () => {
  it("ships a valid default for each of the gateway's own templated features", () => {
    expect(() => compileTemplate(extractionFeature, extractionFeature.defaultTemplate)).not.toThrow();
    const extraction = renderCompiled(compileTemplate(extractionFeature, extractionFeature.defaultTemplate), { schema: { type: 'object', properties: { serial: { type: 'string' } } }, text: 'Unit AB-1' });
    expect(extraction[0]!.content).toContain('"serial": {\n');
    expect(extraction[1]).toEqual({ role: 'user', content: 'Unit AB-1' });
  });

  it('numbers passages, formats conversations, lists and JSON, and drops messages that render empty', () => {
    const template = compileTemplate(notes, notes.defaultTemplate);
    const messages = renderCompiled(template, {
      subject: 'Heating down',
      conversation: [{ author: 'Jane', at: '2026-11-30T08:00:00Z', text: 'No heat since Monday.' }, { role: 'agent', text: 'On it.' }],
      passages: [{ title: 'Boiler reset', text: 'Hold the reset button for 5 seconds.' }, 'Pressure should be 1.5 bar.'],
      tags: ['heating', 'billing'],
      schema: '{}',
    });
    expect(messages[0]!.content).toBe('Tags: heating, billing.\n{}');
    expect(messages[1]!.content).toBe('[1] Boiler reset\nHold the reset button for 5 seconds.\n\n[2]\nPressure should be 1.5 bar.\n\n');
    expect(messages[2]!.content).toBe('Subject: Heating down\n\nJane (2026-11-30T08:00:00Z): No heat since Monday.\n\nagent: On it.');
    const none = renderCompiled(template, { subject: 's', conversation: 'c', passages: [], tags: [], schema: { a: 1 } });
    expect(none[0]!.content).toBe('Tags: .\n{\n  "a": 1\n}');
    expect(none[1]!.content).toBe('(none)\n');
    const empty = renderCompiled(compileTemplate(notes, [{ role: 'system', content: '{{#tags}}{{.}}{{/tags}}' }, { role: 'user', content: '{{subject}}' }]), { subject: 's', conversation: '', passages: [], tags: [], schema: '' });
    expect(empty).toEqual([{ role: 'user', content: 's' }]);
  });

  it('rejects templates with unknown variables, bad syntax or too much text, naming each problem', () => {
    const p = problem(() =>
      compileTemplate(notes, [
        { role: 'system', content: 'Summarise {{subjet}}' },
        { role: 'user', content: '{{#conversation}}' },
        { role: 'user', content: 'x'.repeat(20_001) },
      ]),
    );
    expect(p).toMatchObject({ status: 422, type: 'invalid-template', detail: expect.stringMatching(/^The notes template is not valid: /) });
    expect(p.errors).toEqual([
      { field: 'messages[0].content', message: expect.stringContaining('unknown variable "subjet"') },
      { field: 'messages[1].content', message: expect.stringContaining('malformed template: section "conversation" is never closed') },
      { field: 'messages[2].content', message: 'is 20001 characters; at most 20000' },
    ]);
    expect(problem(() => compileTemplate(notes, [{ role: 'system', content: 'only a system message' }])).errors).toEqual([{ field: 'messages', message: 'needs at least one user message' }]);
    expect(problem(() => compileTemplate(notes, [{ role: 'user', content: '{{passages}}' }])).errors[0].message).toMatch(/"passages" is a list of records \(n, title, text, url\)/);
  });

  it('rejects missing, unknown and mistyped variables when rendering', () => {
    const template = compileTemplate(notes, notes.defaultTemplate);
    const p = problem(() => renderCompiled(template, { subject: {}, conversation: { nope: true }, passages: [{ title: 'x' }], tags: 'high', extra: 1 }));
    expect(p).toMatchObject({ status: 422, type: 'invalid-template-variables' });
    expect(p.errors).toEqual(
      expect.arrayContaining([
        { field: 'variables.extra', message: expect.stringContaining('is not a variable of notes') },
        { field: 'variables.subject', message: 'must be a string' },
        { field: 'variables.conversation', message: expect.any(String) },
        { field: 'variables.passages[0].text', message: 'must be a string' },
        { field: 'variables.tags', message: 'must be a list of strings' },
        { field: 'variables.schema', message: 'is missing' },
      ]),
    );
  });
});
