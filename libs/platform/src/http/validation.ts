import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ProblemException, type FieldError } from './problem';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      // class-validator prefixes the property name; the field is already named.
      message: message.replace(new RegExp(`^(property )?${error.property.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} `), ''),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
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
    if (metadata.type === 'body' || metadata.type === 'query') checkInputShape(value, metadata.type);
    return super.transform(value, metadata);
  }
}

/** Whitelisting, unknown properties rejected, values transformed; field errors as errors[]. */
export function createValidationPipe(): ValidationPipe {
  return new SwitchboardValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
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
