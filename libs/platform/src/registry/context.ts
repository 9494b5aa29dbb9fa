import type { z } from 'zod';
import type { FeatureFlagDefinition } from '../flags/feature-flag';
import type { OperatorStatsSection } from '../operator-stats/operator-stats';
import type { EventEnvelope } from '../outbox/event-envelope';
import type { AnyEventDefinition, EnvelopeOf } from './events';
import type { AnyScheduleDefinition } from './schedules';

/** A BullMQ queue a context owns; its worker module declares the processor that consumes it. */
export interface QueueDefinition {
  readonly name: string;
  /** One line for operators (`/health`, the README's queue table). */
  readonly description: string;
}

/**
 * A job that is not an event subscription (scheduled, delayed or enqueued on demand). A worker that
 * consumes its queue refuses to boot without a `@HandlesJob(definition)` provider for it.
 */
export interface JobDefinition<P = unknown> {
  readonly queue: string;
  readonly name: string;
  /** Type-level only: the payload type. */
  readonly payloadType: P;
}

export type AnyJobDefinition = JobDefinition<any>;

/** `defineJob<{ tenantId: string }>()('reports', 'reports.rollup-day')`. */
export function defineJob<P>() {
  return (queue: QueueDefinition | string, name: string): JobDefinition<P> => ({
    queue: typeof queue === 'string' ? queue : queue.name,
    name,
    payloadType: undefined as unknown as P,
  });
}

/**
 * A context's slice of the configuration: environment variables validated at boot together with
 * every other context's (one report naming every bad variable, exit code 78). `check` sees the
 * whole validated configuration for rules across variables. Inject the values with
 * `@Inject(slice.token)`.
 */
export interface ConfigSlice<S extends z.ZodRawShape = z.ZodRawShape> {
  readonly token: symbol;
  readonly shape: S;
  readonly check?: (config: Record<string, unknown>) => string[];
  /** Type-level only: the validated values. */
  readonly valuesType: z.output<z.ZodObject<S>>;
}

export type ConfigOf<C> = C extends ConfigSlice<infer S> ? z.output<z.ZodObject<S>> : never;

export function defineConfig<S extends z.ZodRawShape>(name: string, shape: S, check?: (config: z.output<z.ZodObject<S>> & Record<string, unknown>) => string[]): ConfigSlice<S> {
  return { token: Symbol(`config:${name}`), shape, check: check as ConfigSlice<S>['check'], valuesType: undefined as never };
}

/**
 * A domain event that agent consoles see: the name they receive it under (`ticket.updated`) and
 * the data they get (the platform adds eventId, occurredAt and actorId). It goes to the tenant's
 * room after commit, and is replayable from the outbox (`GET /v1/events`).
 */
export interface ConsoleEventMapping {
  readonly event: AnyEventDefinition;
  readonly name: string;
  readonly present: (envelope: EventEnvelope<unknown>) => Record<string, unknown>;
  /** Who sees it; without one, every console of the tenant. */
  readonly audience?: ConsoleAudience<EventEnvelope<unknown>>;
}

/**
 * A console event meant for some consoles of the tenant only: the users it concerns (their own
 * consoles, whatever their role) and the consoles whose credential holds `permission`, except
 * those of `exceptRoles`. The push (rooms) and the replay (`GET /v1/events`) apply the same rule.
 */
export interface ConsoleAudience<E = EventEnvelope<unknown>> {
  readonly users?: (envelope: E) => readonly (string | null | undefined)[];
  readonly permission?: string;
  readonly exceptRoles?: readonly string[];
}

export function consoleEvent<D extends AnyEventDefinition>(
  event: D,
  name: string,
  present: (envelope: EnvelopeOf<D>) => Record<string, unknown>,
  audience?: ConsoleAudience<EnvelopeOf<D>>,
): ConsoleEventMapping {
  return { event, name, present: present as ConsoleEventMapping['present'], audience: audience as ConsoleEventMapping['audience'] };
}

/**
 * Everything a context registers with the platform, declared in `libs/<context>/src/<context>.context.ts`
 * and listed by the apps. The platform builds the queue set, the relay's routes, the boot checks,
 * the configuration and the console's event map from these, and names no context itself.
 */
export interface ContextDefinition {
  readonly name: string;
  /** The domain events this context owns (it alone emits them). */
  readonly events?: readonly AnyEventDefinition[];
  readonly queues?: readonly QueueDefinition[];
  /** Jobs that are not event subscriptions (those are declared by `@OnEvent` beside their handler). */
  readonly jobs?: readonly AnyJobDefinition[];
  /** Recurring jobs (`defineSchedule`), each of a job in `jobs`. */
  readonly schedules?: readonly AnyScheduleDefinition[];
  readonly config?: ConfigSlice;
  readonly consoleEvents?: readonly ConsoleEventMapping[];
  /** Feature flags this context evaluates (`defineFeatureFlag`), named `<context>.<flag>`. */
  readonly featureFlags?: readonly FeatureFlagDefinition[];
  /** Sections of `GET /v1/admin/stats` about what this context owns (`defineOperatorStats`). */
  readonly operatorStats?: readonly OperatorStatsSection[];
}

export function defineContext<C extends ContextDefinition>(definition: C): C {
  return definition;
}
