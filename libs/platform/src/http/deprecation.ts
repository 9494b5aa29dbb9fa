import { applyDecorators, Header, SetMetadata } from '@nestjs/common';
import { ApiExtension, DECORATORS } from '@nestjs/swagger';

/** The version every response names in its `API-Version` header and the OpenAPI `info.version`. */
export const API_VERSION = '1';

/** Where a route's deprecation is kept, for tools that list them (the OpenAPI export reads its own copy). */
export const DEPRECATION_METADATA = 'switchboard:deprecation';

export interface DeprecationNotice {
  /** The day it was deprecated (YYYY-MM-DD, UTC): the `Deprecation` header (RFC 9745). */
  since: string;
  /** The last day it answers (YYYY-MM-DD, UTC; it stops at the end of that day): the `Sunset` header (RFC 8594). */
  sunset: string;
  /** What replaces it: a path (`/v1/…`) or an absolute URL, sent as `Link: <…>; rel="successor-version"`. */
  successor?: string;
  /**
   * Response or request fields that are deprecated while the route itself stays. Absent: the whole
   * operation is deprecated (`deprecated: true` in the spec). Mark each field `deprecated: true` in its DTO.
   */
  fields?: readonly string[];
  /** One sentence for the spec: why, and what to do instead. */
  reason?: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayStart(value: string, what: string): Date {
  const m = DAY.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) throw new Error(`@Deprecated: ${what} must be a date YYYY-MM-DD, got "${value}"`);
  return date;
}

/** The three headers a deprecated route sends; checked when the controller class loads, so a bad date fails at boot. */
export function deprecationHeaders(notice: DeprecationNotice): [string, string][] {
  const since = dayStart(notice.since, 'since');
  const sunsetDay = dayStart(notice.sunset, 'sunset');
  if (sunsetDay <= since) throw new Error(`@Deprecated: sunset ${notice.sunset} must come after since ${notice.since}`);
  if (notice.successor !== undefined && !/^(\/v\d+\/|https:\/\/)[^\s<>"]+$/.test(notice.successor)) {
    throw new Error(`@Deprecated: successor must be an api path (/v1/…) or an https URL, got "${notice.successor}"`);
  }
  const sunset = new Date(sunsetDay.getTime() + 86_400_000 - 1000); // 23:59:59 of the last day
  const headers: [string, string][] = [
    ['Deprecation', `@${Math.floor(since.getTime() / 1000)}`],
    ['Sunset', sunset.toUTCString()],
  ];
  if (notice.successor) headers.push(['Link', `<${notice.successor}>; rel="successor-version"`]);
  return headers;
}

/**
 * Declares a route (or some of its fields) deprecated, next to the route: its answers carry
 * `Deprecation`, `Sunset` and, with a successor, a `Link` to it; the OpenAPI operation is marked
 * `deprecated: true` (whole-route deprecations) and carries `x-deprecation` with the dates, so
 * generated clients and readers of the spec see it. Requests to deprecated routes are counted on
 * `/metrics` (`http_deprecated_requests_total`, by route) so operators know who still calls them.
 */
export function Deprecated(notice: DeprecationNotice): MethodDecorator {
  const headers = deprecationHeaders(notice);
  const extension: Record<string, unknown> = { since: notice.since, sunset: notice.sunset };
  if (notice.successor) extension.successor = notice.successor;
  if (notice.fields?.length) extension.fields = [...notice.fields];
  if (notice.reason) extension.reason = notice.reason;
  const markOperation: MethodDecorator = (_target, _key, descriptor) => {
    if (notice.fields?.length) return descriptor;
    const handler = descriptor.value as object;
    // Merged into whatever @ApiOperation holds, in either decorator order (its summary stays).
    Reflect.defineMetadata(DECORATORS.API_OPERATION, { ...Reflect.getMetadata(DECORATORS.API_OPERATION, handler), deprecated: true }, handler);
    return descriptor;
  };
  return applyDecorators(
    SetMetadata(DEPRECATION_METADATA, notice),
    ApiExtension('x-deprecation', extension),
    markOperation,
    ...headers.map(([name, value]) => Header(name, value)),
  );
}
