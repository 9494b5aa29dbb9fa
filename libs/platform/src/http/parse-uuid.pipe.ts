import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ProblemException } from './problem';

/** Versions 1–8 with the RFC variant, or the nil and max UUIDs: what Nest's ParseUUIDPipe accepts by default. */
const UUID = /^(?:[0-9A-F]{8}-[0-9A-F]{4}-[1-8][0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}|00000000-0000-0000-0000-000000000000|FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF)$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/**
 * `@Param('id', ParseUuidPipe)`: Nest's ParseUUIDPipe answers "Validation failed (uuid is
 * expected)" without saying which parameter; this one names it, in the shape of every other
 * validation error. Synchronous, so a valid id costs no promise.
 */
@Injectable()
export class ParseUuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, { data }: ArgumentMetadata): string {
    if (isUuid(value)) return value;
    const field = data || 'id';
    throw new ProblemException({
      status: 400,
      type: 'validation-failed',
      title: 'Bad Request',
      detail: `${field}: must be a UUID.`,
      errors: [{ field, message: 'must be a UUID' }],
    });
  }
}
