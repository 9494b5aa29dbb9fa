import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { MULTIPART_BODY, multipartOnJsonEndpoint } from './content-type';
import { ProblemException, type FieldError } from './problem';

/** Presence and unknown-property rules come first, then the rules for a type or format, then ranges and lengths. */
function rank(constraint: string): number {
  if (constraint === 'isDefined' || constraint === 'whitelistValidation') return 0;
  if (constraint.startsWith('is') || constraint === 'nestedValidation') return 1;
  return 2;
}

/**
 * The one rule to report for a field: "is required" when it is missing (a length or type message
 * about nothing helps nobody), otherwise the first failed rule by rank and, within a rank, in the
 * order the decorators are written (class-validator applies them bottom-up, so the keys arrive
 * reversed).
 */
export function firstFailure(error: Pick<ValidationError, 'property' | 'constraints' | 'value'>): string | undefined {
  const entries = Object.entries(error.constraints ?? {});
  if (entries.length === 0) return undefined;
  if (entries.some(([name]) => name === 'whitelistValidation')) return 'should not exist';
  if (error.value === undefined) return 'is required';
  if (error.value === null) return 'must not be null';
  const [, message] = entries.reverse().sort(([a], [b]) => rank(a) - rank(b))[0];
  // class-validator prefixes the property name; the field is already named.
  return message.replace(new RegExp(`^(property )?${error.property.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `), '');
}

/** One message per field (the first rule it failed), nested fields named by their path. */
export function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const message = firstFailure(error);
    return [...(message ? [{ field, message }] : []), ...flatten(error.children ?? [], field)];
  });
}

/** JSON deeper than this is refused before anything walks it recursively (class-transformer would overflow the stack). */
export const MAX_INPUT_DEPTH = 32;

const invalid = (field: string, message: string) =>
  new ProblemException({ status: 400, type: 'validation-failed', title: 'Bad Request', detail: `${field}: ${message}.`, errors: [{ field, message }] });

/**
 * Checks a request body or query before validation, without recursion: at most MAX_INPUT_DEPTH
 * levels of nesting, and no NUL character in any key or string (PostgreSQL cannot store one in
 * text or jsonb).
 */
export function checkInputShape(value: unknown, root = 'body'): void {
  const stack: [unknown, string, number][] = [[value, root, 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) throw invalid(path, 'must not contain NUL (\\u0000) characters');
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) throw invalid(path, `is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`);
    for (const [key, child] of Object.entries(v)) {
      const at = path === root ? key : `${path}.${key}`;
      if (key.includes('\u0000')) throw invalid(path, 'has a key with a NUL (\\u0000) character');
      stack.push([child, at, depth + 1]);
    }
  }
}

/** The pipe, with the shape check first for bodies and queries. */
class SwitchboardValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value === MULTIPART_BODY) throw multipartOnJsonEndpoint();
    if (metadata.type === 'body' || metadata.type === 'query') checkInputShape(value, metadata.type);
    return super.transform(value, metadata);
  }
}

type RuleStorage = ReturnType<typeof getMetadataStorage>;
const REMEMBERED = Symbol('switchboard.rememberedRules');

/**
 * class-validator finds a class's rules on every validation by going through the rules of every
 * class in the process (and an `instanceof` per class for inherited ones), then groups them by
 * property: about a fifth of a small query's validation. A class's rules are complete once it and
 * its parents are defined, which is before anything can validate it, so the answer for a class
 * and set of options is kept (rules are never registered later here: no `registerDecorator` or
 * `registerSchema`). Idempotent; affects every validation in the process.
 */
export function rememberValidationRules(storage: RuleStorage = getMetadataStorage()): void {
  const marked = storage as RuleStorage & { [REMEMBERED]?: true };
  if (marked[REMEMBERED]) return;
  marked[REMEMBERED] = true;
  const find = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const found = new WeakMap<object, Map<string, ReturnType<RuleStorage['getTargetValidationMetadatas']>>>();
  const grouped = new WeakMap<object, ReturnType<RuleStorage['groupByPropertyName']>>();
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? '-'}`;
    let byOptions = found.get(target);
    if (!byOptions) found.set(target, (byOptions = new Map()));
    let rules = byOptions.get(key);
    if (!rules) byOptions.set(key, (rules = find(target, schema, always, strictGroups, groups)));
    return rules;
  };
  // Keyed by the (now stable) array it groups; the executor only reads the groups.
  storage.groupByPropertyName = (rules) => {
    let byProperty = grouped.get(rules);
    if (!byProperty) grouped.set(rules, (byProperty = group(rules)));
    return byProperty;
  };
}

/** Whitelisting, unknown properties rejected, values transformed; field errors as errors[]. */
export function createValidationPipe(): ValidationPipe {
  rememberValidationRules();
  return new SwitchboardValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    // The value is kept to tell a missing field from a wrong one; it never reaches the answer.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return new ProblemException({
        status: 400,
        type: 'validation-failed',
        title: 'Bad Request',
        detail:
          fieldErrors.length === 1
            ? `${fieldErrors[0].field}: ${fieldErrors[0].message}.`
            : `${fieldErrors.length} fields are invalid: ${[...new Set(fieldErrors.map((e) => e.field))].join(', ')}.`,
        errors: fieldErrors,
      });
    },
  });
}
