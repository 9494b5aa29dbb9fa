import { ValidationPipe, type ValidationError } from '@nestjs/common';
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

/** Whitelisting, unknown properties rejected, values transformed; field errors as errors[]. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
