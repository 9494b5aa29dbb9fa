/**
 * A logic-less template language, a strict subset of Mustache: `{{name}}`, sections
 * `{{#list}}…{{/list}}` (repeated per item, or shown once when a text is not empty), inverted
 * sections `{{^list}}…{{/list}}` (shown when empty), `{{.}}` for the current item of a text list,
 * and comments `{{! … }}`. Nothing is executed and nothing is HTML-escaped (prompts are not HTML).
 * A section tag alone on its line takes the line with it, as in Mustache.
 */

/** What a variable holds: one text, a list of texts, or a list of records with these fields. */
export type VariableShape = { kind: 'text' } | { kind: 'list' } | { kind: 'records'; fields: readonly string[] };
export type TemplateContract = Readonly<Record<string, VariableShape>>;

export type RenderValue = string | string[] | Record<string, string>[];
export type RenderValues = Readonly<Record<string, RenderValue>>;

type Node =
  | { type: 'text'; value: string }
  | { type: 'var'; name: string; line: number; column: number }
  | { type: 'section'; name: string; inverted: boolean; children: Node[]; line: number; column: number };

export interface ParsedTemplate {
  readonly nodes: readonly Node[];
}

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_DEPTH = 4;

interface Token {
  kind: 'text' | 'var' | 'open' | 'inverted' | 'close' | 'comment';
  value: string;
  line: number;
  column: number;
}

function position(source: string, index: number): { line: number; column: number } {
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    if (open < 0) {
      tokens.push({ kind: 'text', value: source.slice(at), line: 0, column: 0 });
      break;
    }
    if (open > at) tokens.push({ kind: 'text', value: source.slice(at, open), line: 0, column: 0 });
    const { line, column } = position(source, open);
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateSyntaxError('"{{" is never closed with "}}"', line, column);
    const inner = source.slice(open + 2, close);
    if (inner.includes('{{')) throw new TemplateSyntaxError('"{{" is never closed with "}}"', line, column);
    const sigil = inner.trimStart()[0];
    const body = (sigil && '#^/!'.includes(sigil) ? inner.trimStart().slice(1) : inner).trim();
    if (sigil === '!') {
      tokens.push({ kind: 'comment', value: '', line, column });
    } else {
      const kind = sigil === '#' ? 'open' : sigil === '^' ? 'inverted' : sigil === '/' ? 'close' : 'var';
      if (body === '') throw new TemplateSyntaxError('empty tag "{{}}"', line, column);
      if (kind === 'var' && /^[>&{=<]/.test(body)) throw new TemplateSyntaxError(`"{{${inner}}}" is not supported: only {{name}}, {{#name}}, {{^name}}, {{/name}}, {{.}} and {{! comments }}`, line, column);
      if (!(NAME.test(body) || (kind === 'var' && body === '.'))) throw new TemplateSyntaxError(`"${body}" is not a variable name (letters, digits and _)`, line, column);
      tokens.push({ kind, value: body, line, column });
    }
    at = close + 2;
  }
  return stripStandalone(tokens);
}

/** A section, close or comment tag alone on its line removes the line's indentation and newline. */
function stripStandalone(tokens: Token[]): Token[] {
  const text = (t: Token | undefined) => (t?.kind === 'text' ? t.value : null);
  // Decided on the original texts first, so adjacent standalone tags each see their own line.
  const standalone = tokens.map((t, i) => {
    if (t.kind === 'text' || t.kind === 'var') return false;
    const prev = i === 0 ? '' : text(tokens[i - 1]);
    const next = i === tokens.length - 1 ? '' : text(tokens[i + 1]);
    if (prev === null || next === null) return false;
    const startsLine = i === 0 || (/(^|\n)[ \t]*$/.test(prev) && (prev.includes('\n') || i === 1));
    const endsLine = /^[ \t]*\r?\n/.test(next) || (/^[ \t]*$/.test(next) && i + 2 >= tokens.length);
    return startsLine && endsLine;
  });
  tokens.forEach((t, i) => {
    if (!standalone[i]) return;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (prev) prev.value = prev.value.replace(/[ \t]*$/, '');
    if (next) next.value = next.value.replace(/^[ \t]*(\r?\n)?/, '');
  });
  return tokens.filter((t) => t.kind !== 'comment' && !(t.kind === 'text' && t.value === ''));
}

export function parseTemplate(source: string): ParsedTemplate {
  const root: Node[] = [];
  const stack: { name: string; children: Node[]; line: number; column: number }[] = [];
  const target = () => stack.at(-1)?.children ?? root;
  for (const t of tokenize(source)) {
    if (t.kind === 'text') target().push({ type: 'text', value: t.value });
    else if (t.kind === 'var') target().push({ type: 'var', name: t.value, line: t.line, column: t.column });
    else if (t.kind === 'open' || t.kind === 'inverted') {
      if (stack.length >= MAX_DEPTH) throw new TemplateSyntaxError(`sections nest at most ${MAX_DEPTH} deep`, t.line, t.column);
      const section: Node = { type: 'section', name: t.value, inverted: t.kind === 'inverted', children: [], line: t.line, column: t.column };
      target().push(section);
      stack.push({ name: t.value, children: section.children, line: t.line, column: t.column });
    } else {
      const open = stack.pop();
      if (!open) throw new TemplateSyntaxError(`"{{/${t.value}}}" closes a section that was never opened`, t.line, t.column);
      if (open.name !== t.value) throw new TemplateSyntaxError(`"{{/${t.value}}}" closes "{{#${open.name}}}" opened at line ${open.line}, column ${open.column}`, t.line, t.column);
    }
  }
  const unclosed = stack.pop();
  if (unclosed) throw new TemplateSyntaxError(`section "${unclosed.name}" is never closed with {{/${unclosed.name}}}`, unclosed.line, unclosed.column);
  return { nodes: root };
}

type Scope = { kind: 'root' } | { kind: 'record'; fields: readonly string[] } | { kind: 'item' };

/** Every way the template does not fit the feature's variables; empty when it fits. */
export function checkTemplate(template: ParsedTemplate, contract: TemplateContract): string[] {
  const problems: string[] = [];
  const known = Object.keys(contract).join(', ');
  const where = (n: { line: number; column: number }) => `line ${n.line}, column ${n.column}`;
  const walk = (nodes: readonly Node[], scopes: Scope[]) => {
    for (const node of nodes) {
      if (node.type === 'text') continue;
      const inner = scopes.at(-1)!;
      if (node.name === '.') {
        if (inner.kind !== 'item') problems.push(`{{.}} is only meaningful inside a section over a list of texts (${where(node)})`);
        continue;
      }
      const field = [...scopes].reverse().find((s) => s.kind === 'record' && s.fields.includes(node.name));
      const shape: VariableShape | undefined = field ? { kind: 'text' } : contract[node.name];
      if (!shape) {
        const fields = inner.kind === 'record' ? `; fields here: ${inner.fields.join(', ')}` : '';
        problems.push(`unknown variable "${node.name}" (${where(node)}); known: ${known}${fields}`);
        continue;
      }
      if (node.type === 'var') {
        if (shape.kind === 'records') problems.push(`"${node.name}" is a list of records (${shape.fields.join(', ')}): use {{#${node.name}}}…{{/${node.name}}} (${where(node)})`);
        continue;
      }
      const scope: Scope = node.inverted || shape.kind === 'text' ? inner : shape.kind === 'list' ? { kind: 'item' } : { kind: 'record', fields: shape.fields };
      walk(node.children, [...scopes, scope]);
    }
  };
  walk(template.nodes, [{ kind: 'root' }]);
  return problems;
}

const isEmpty = (v: RenderValue | undefined) => v === undefined || v.length === 0;

/** Renders a template that passed `checkTemplate` against values of the same contract. */
export function renderTemplate(template: ParsedTemplate, values: RenderValues): string {
  let out = '';
  const lookup = (name: string, scopes: readonly Record<string, RenderValue>[]): RenderValue | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) if (name in scopes[i]!) return scopes[i]![name];
    return undefined;
  };
  const walk = (nodes: readonly Node[], scopes: Record<string, RenderValue>[]) => {
    for (const node of nodes) {
      if (node.type === 'text') out += node.value;
      else if (node.type === 'var') {
        const v = lookup(node.name, scopes);
        out += typeof v === 'string' ? v : Array.isArray(v) ? (v as unknown[]).filter((x): x is string => typeof x === 'string').join(', ') : '';
      } else {
        const v = lookup(node.name, scopes);
        if (node.inverted) {
          if (isEmpty(v)) walk(node.children, scopes);
        } else if (typeof v === 'string') {
          if (v.length > 0) walk(node.children, scopes);
        } else if (Array.isArray(v)) {
          for (const item of v as (string | Record<string, string>)[]) walk(node.children, [...scopes, typeof item === 'string' ? { '.': item } : item]);
        }
      }
    }
  };
  walk(template.nodes, [values as Record<string, RenderValue>]);
  return out;
}
