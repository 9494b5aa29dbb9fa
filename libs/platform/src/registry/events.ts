import type { EventEnvelope } from '../outbox/event-envelope';

/** Only `EventDefinition.of` makes one, so `tx.emit` never takes a hand-written literal. */
const RAISED: unique symbol = Symbol('raised-domain-event');

/** A domain event raised inside a tenant transaction, before it has an id or a time. */
export interface DomainEvent<P extends object = object> {
  readonly [RAISED]: true;
  readonly type: string;
  readonly version: number;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly payload: P;
  /** For an event recorded later on behalf of another request (batched writes): its actor and request id instead of the writer's. */
  readonly actorId?: string | null;
  readonly correlationId?: string | null;
}

export interface RaiseOptions {
  actorId?: string | null;
  correlationId?: string | null;
}

/**
 * One domain event as its owning context declares it: the wire name (`<context>.<what_happened>`),
 * the payload's version, the aggregate it belongs to, and (as a type) its payload. Contexts export
 * their definitions from `index.ts`; emitting, subscribing and narrowing all go through them, so a
 * misspelt event or a payload of the wrong shape does not compile.
 */
export interface EventDefinition<P extends object = object, T extends string = string> {
  readonly type: T;
  readonly version: number;
  readonly aggregateType: string;
  /** The context that owns the event: the part of the type before the first dot. */
  readonly context: string;
  /** Raises the event for one aggregate; `tx.emit(...)` or `runBatch` writes it to the outbox. */
  of(aggregateId: string, payload: P, options?: RaiseOptions): DomainEvent<P>;
  /** Narrows a committed event (in-process handlers receive every one) to this definition. */
  is(envelope: EventEnvelope<unknown>): envelope is EventEnvelope<P>;
  /** Type-level only: the payload type (`typeof Def.payloadType`). */
  readonly payloadType: P;
}

export type AnyEventDefinition = EventDefinition<any>;
export type PayloadOf<D> = D extends EventDefinition<infer P> ? P : never;
export type EnvelopeOf<D> = EventEnvelope<PayloadOf<D>>;

const EVENT_TYPE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/**
 * Declares an event: `export const WidgetMade = defineEvent<{ size: number }>()('widgets.widget_made', { aggregate: 'widget' })`.
 * (Two calls so that the payload is given while the name is inferred.)
 */
export function defineEvent<P extends object>() {
  return <T extends string>(type: T, options: { aggregate: string; version?: number }): EventDefinition<P, T> => {
    if (!EVENT_TYPE.test(type)) throw new Error(`Event type "${type}" must look like <context>.<what_happened> (lower case, underscores)`);
    const version = options.version ?? 1;
    if (!Number.isInteger(version) || version < 1) throw new Error(`Event ${type}: version must be a positive integer`);
    return {
      type,
      version,
      aggregateType: options.aggregate,
      context: type.slice(0, type.indexOf('.')),
      of: (aggregateId, payload, raise = {}) => ({
        [RAISED]: true,
        type,
        version,
        aggregateType: options.aggregate,
        aggregateId,
        payload,
        ...(raise.actorId !== undefined ? { actorId: raise.actorId } : {}),
        ...(raise.correlationId !== undefined ? { correlationId: raise.correlationId } : {}),
      }),
      is: (envelope): envelope is EventEnvelope<P> => envelope.type === type,
      payloadType: undefined as unknown as P,
    };
  };
}
