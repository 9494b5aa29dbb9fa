import { ProblemException } from '@switchboard/platform';
import type { TicketChanges } from '../commands/update-ticket/update-ticket.command';
import type { TicketView } from '../repositories/tickets.sql';
import { MACRO_PLACEHOLDERS, renderHtml, renderText, unknownPlaceholders, type PlaceholderValues } from './macro-template';
import { normaliseTags, PRIORITIES, STATUSES, statusAfterMessage, TYPES, type Status } from './ticket';

/**
 * A macro's actions: a discriminated union on `type`, applied in order. To add an action: add its member here, its reader to
 * `ACTION_READERS` (shape and limits), its references to `macroReferences` (what must still exist
 * when it runs), and its effect to `planMacro`'s switch. The compiler points at each place: the
 * readers' record and the switch are exhaustive over `MacroAction['type']`.
 */
export type MacroAction =
  | { type: 'set_status'; value: Exclude<Status, 'new'> }
  | { type: 'set_priority'; value: (typeof PRIORITIES)[number] }
  | { type: 'set_type'; value: (typeof TYPES)[number] }
  | { type: 'set_group'; value: string | null }
  | { type: 'set_assignee'; value: string | null }
  | { type: 'add_tags'; tags: string[] }
  | { type: 'remove_tags'; tags: string[] }
  | { type: 'add_reply'; visibility: 'public' | 'internal'; body: string }
  | { type: 'add_checklist'; templateId: string }
  /** A custom field's value by key (null clears it); checked against the field when saved and again when applied. */
  | { type: 'set_custom_field'; key: string; value: unknown };
export type MacroActionType = MacroAction['type'];

export const MAX_MACRO_ACTIONS = 30;
const MAX_BODY = 20_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELD_KEY = /^[a-z][a-z0-9_]{0,49}$/;

interface FieldError {
  field: string;
  message: string;
}

type Reader<T extends MacroActionType> = (raw: Record<string, unknown>, at: string, errors: FieldError[]) => Extract<MacroAction, { type: T }> | undefined;

const keysExactly = (raw: Record<string, unknown>, keys: readonly string[], at: string, errors: FieldError[]) => {
  for (const k of Object.keys(raw)) if (k !== 'type' && !keys.includes(k)) errors.push({ field: `${at}.${k}`, message: 'is not a property of this action' });
};
const oneOf = <T extends string>(values: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);
const uuidOrNull = (v: unknown): v is string | null => v === null || (typeof v === 'string' && UUID.test(v));

function setter<T extends MacroActionType>(type: T, valid: (v: unknown) => boolean, expected: string): Reader<T> {
  return (raw, at, errors) => {
    keysExactly(raw, ['value'], at, errors);
    if (!valid(raw.value)) {
      errors.push({ field: `${at}.value`, message: `must be ${expected}` });
      return undefined;
    }
    // Ids in one spelling (lower case), as the database answers them.
    const value = typeof raw.value === 'string' && UUID.test(raw.value) ? raw.value.toLowerCase() : raw.value;
    return { type, value } as Extract<MacroAction, { type: T }>;
  };
}

function tagList<T extends 'add_tags' | 'remove_tags'>(type: T): Reader<T> {
  return (raw, at, errors) => {
    keysExactly(raw, ['tags'], at, errors);
    const tags = raw.tags;
    if (!Array.isArray(tags) || tags.length === 0 || tags.length > 50 || !tags.every((t) => typeof t === 'string')) {
      errors.push({ field: `${at}.tags`, message: 'must be 1 to 50 tags' });
      return undefined;
    }
    try {
      return { type, tags: normaliseTags(tags as string[]) } as Extract<MacroAction, { type: T }>;
    } catch {
      errors.push({ field: `${at}.tags`, message: 'each tag must be 1 to 50 letters, digits, _, - or :' });
      return undefined;
    }
  };
}

const ACTION_READERS: { [T in MacroActionType]: Reader<T> } = {
  set_status: setter('set_status', oneOf(STATUSES.filter((s) => s !== 'new')), `one of ${STATUSES.filter((s) => s !== 'new').join(', ')}`),
  set_priority: setter('set_priority', oneOf(PRIORITIES), `one of ${PRIORITIES.join(', ')}`),
  set_type: setter('set_type', oneOf(TYPES), `one of ${TYPES.join(', ')}`),
  set_group: setter('set_group', uuidOrNull, 'a group id or null'),
  set_assignee: setter('set_assignee', uuidOrNull, 'a user id or null'),
  add_tags: tagList('add_tags'),
  remove_tags: tagList('remove_tags'),
  add_reply: (raw, at, errors) => {
    keysExactly(raw, ['visibility', 'body'], at, errors);
    const visibility = oneOf(['public', 'internal'] as const);
    if (!visibility(raw.visibility)) errors.push({ field: `${at}.visibility`, message: 'must be public or internal' });
    const body = typeof raw.body === 'string' ? raw.body.trim() : '';
    if (!body || body.length > MAX_BODY) errors.push({ field: `${at}.body`, message: `must be a text of 1 to ${MAX_BODY} characters` });
    return visibility(raw.visibility) && body && body.length <= MAX_BODY ? { type: 'add_reply', visibility: raw.visibility, body } : undefined;
  },
  set_custom_field: (raw, at, errors) => {
    keysExactly(raw, ['key', 'value'], at, errors);
    if (typeof raw.key !== 'string' || !FIELD_KEY.test(raw.key)) {
      errors.push({ field: `${at}.key`, message: 'must be a custom field key (GET /v1/ticket-fields)' });
      return undefined;
    }
    if (!Object.hasOwn(raw, 'value')) {
      errors.push({ field: `${at}.value`, message: 'must be given (null clears the field)' });
      return undefined;
    }
    return { type: 'set_custom_field', key: raw.key, value: raw.value };
  },
  add_checklist: (raw, at, errors) => {
    keysExactly(raw, ['templateId'], at, errors);
    if (typeof raw.templateId !== 'string' || !UUID.test(raw.templateId)) {
      errors.push({ field: `${at}.templateId`, message: 'must be a checklist template id' });
      return undefined;
    }
    return { type: 'add_checklist', templateId: raw.templateId.toLowerCase() };
  },
};
export const MACRO_ACTION_TYPES = Object.keys(ACTION_READERS) as MacroActionType[];

const badActions = (errors: FieldError[]) =>
  new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `The macro's actions are not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, errors });

/**
 * The actions as sent (JSON) → typed actions, or a 400 naming every bad field (`actions[2].value`).
 * Then the templates: a placeholder that does not exist is a 422 naming it and the action.
 */
export function readMacroActions(input: unknown): MacroAction[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_MACRO_ACTIONS) {
    throw badActions([{ field: 'actions', message: `must be a list of 1 to ${MAX_MACRO_ACTIONS} actions` }]);
  }
  const actions: MacroAction[] = [];
  input.forEach((raw, i) => {
    const at = `actions[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return void errors.push({ field: at, message: 'must be an object' });
    const type = (raw as { type?: unknown }).type;
    if (typeof type !== 'string' || !Object.hasOwn(ACTION_READERS, type)) {
      return void errors.push({ field: `${at}.type`, message: `must be one of ${MACRO_ACTION_TYPES.join(', ')}` });
    }
    const read = (ACTION_READERS as Record<string, Reader<MacroActionType>>)[type]!(raw as Record<string, unknown>, at, errors);
    if (read) actions.push(read);
  });
  if (errors.length > 0) throw badActions(errors);
  const unknown = actions.flatMap((a, i) => (a.type === 'add_reply' ? unknownPlaceholders(a.body).map((name) => ({ name, i })) : []));
  if (unknown.length > 0) {
    throw new ProblemException({
      status: 422,
      type: 'unknown-placeholder',
      title: 'Unprocessable Content',
      detail: `Unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{{${u.name}}} in actions[${u.i}]`).join(', ')}; known: ${MACRO_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`,
      errors: unknown.map((u) => ({ field: `actions[${u.i}].body`, message: `unknown placeholder {{${u.name}}}` })),
    });
  }
  return actions;
}

/** What an action needs to still exist when the macro runs. */
export type MacroReference =
  | { kind: 'group'; id: string }
  | { kind: 'checklist_template'; id: string }
  | { kind: 'assignee'; id: string }
  /** A custom field by key, with the value the action sets (it must still fit the field). */
  | { kind: 'field'; id: string; value: unknown };

export function macroReferences(actions: readonly MacroAction[]): { index: number; action: MacroAction; ref: MacroReference }[] {
  return actions.flatMap((action, index): { index: number; action: MacroAction; ref: MacroReference }[] => {
    switch (action.type) {
      case 'set_group':
        return action.value ? [{ index, action, ref: { kind: 'group' as const, id: action.value } }] : [];
      case 'set_assignee':
        return action.value ? [{ index, action, ref: { kind: 'assignee' as const, id: action.value } }] : [];
      case 'add_checklist':
        return [{ index, action, ref: { kind: 'checklist_template' as const, id: action.templateId } }];
      case 'set_custom_field':
        return [{ index, action, ref: { kind: 'field' as const, id: action.key, value: action.value } }];
      default:
        return [];
    }
  });
}

/** Why a saved macro cannot run as it is: the first action whose reference is gone. */
export interface MacroBroken {
  actionIndex: number;
  actionType: MacroActionType;
  reason: string;
}

/** The problem for a macro that cannot run, naming the action (at apply and preview). */
export const macroBrokenProblem = (macroName: string, broken: MacroBroken) =>
  new ProblemException({
    status: 422,
    type: 'macro-broken',
    title: 'Unprocessable Content',
    detail: `Macro "${macroName}" cannot run: actions[${broken.actionIndex}] (${broken.actionType}) ${broken.reason} Edit the macro to fix it.`,
    errors: [{ field: `actions[${broken.actionIndex}]`, message: broken.reason }],
    extensions: { broken },
  });

/** When saving: a reference that does not resolve is a 422 naming the action (the macro is not saved). */
export const macroReferenceProblem = (broken: MacroBroken) =>
  new ProblemException({
    status: 422,
    type: 'invalid-reference',
    title: 'Unprocessable Content',
    detail: `actions[${broken.actionIndex}] (${broken.actionType}) ${broken.reason}`,
    errors: [{ field: `actions[${broken.actionIndex}]`, message: broken.reason }],
  });

export interface PlannedMessage {
  visibility: 'public' | 'internal';
  body: string;
  html: string;
}

export interface PlannedChecklist {
  templateId: string;
  title: string;
  items: string[];
}

/** What a macro does to one ticket: the field changes, then the messages, then the checklists. */
export interface MacroPlan {
  changes: TicketChanges;
  messages: PlannedMessage[];
  checklists: PlannedChecklist[];
  /** The ticket as it will be after apply (its version is the one apply must be sent with). */
  ticket: TicketView;
}

export interface PlanInputs {
  values: PlaceholderValues;
  templates: ReadonlyMap<string, { name: string; items: string[] }>;
}

/**
 * The macro's effect on the ticket, computed without touching anything: what preview answers and
 * what apply then carries out through the ticket's own update, message and checklist paths. Later
 * setters win over earlier ones; tags added and removed are applied in order; the status a public
 * reply moves the ticket to is the one the message path would choose.
 */
export function planMacro(ticket: TicketView, actions: readonly MacroAction[], inputs: PlanInputs): MacroPlan {
  const changes: TicketChanges = {};
  let tags = [...ticket.tags];
  const messages: PlannedMessage[] = [];
  const checklists: PlannedChecklist[] = [];
  for (const action of actions) {
    switch (action.type) {
      case 'set_status':
        changes.status = action.value;
        break;
      case 'set_priority':
        changes.priority = action.value;
        break;
      case 'set_type':
        changes.type = action.value;
        break;
      case 'set_group':
        changes.groupId = action.value;
        break;
      case 'set_assignee':
        changes.assigneeId = action.value;
        break;
      case 'add_tags':
        tags = [...new Set([...tags, ...action.tags])];
        break;
      case 'remove_tags':
        tags = tags.filter((t) => !action.tags.includes(t));
        break;
      case 'add_reply':
        messages.push({ visibility: action.visibility, body: renderText(action.body, inputs.values), html: renderHtml(action.body, inputs.values) });
        break;
      case 'set_custom_field':
        changes.fields = { ...changes.fields, [action.key]: action.value };
        break;
      case 'add_checklist': {
        const template = inputs.templates.get(action.templateId);
        if (template) checklists.push({ templateId: action.templateId, title: template.name, items: template.items });
        break;
      }
      default: {
        const unhandled: never = action;
        throw new Error(`Unhandled macro action ${JSON.stringify(unhandled)}`);
      }
    }
  }
  const sortedTags = [...tags].sort();
  if (JSON.stringify(sortedTags) !== JSON.stringify([...ticket.tags].sort())) changes.tags = sortedTags;
  let status = changes.status ?? ticket.status;
  for (const m of messages) status = statusAfterMessage(status, 'agent', m.visibility);
  const after: TicketView = {
    ...ticket,
    status,
    priority: changes.priority ?? ticket.priority,
    type: changes.type ?? ticket.type,
    groupId: changes.groupId !== undefined ? changes.groupId : ticket.groupId,
    assigneeId: changes.assigneeId !== undefined ? changes.assigneeId : ticket.assigneeId,
    tags: changes.tags ?? ticket.tags,
    fields: changes.fields ? Object.fromEntries(Object.entries({ ...ticket.fields, ...changes.fields }).filter(([, v]) => v !== null)) : ticket.fields,
  };
  return { changes, messages, checklists, ticket: after };
}
