import { FLAG_NAME, type FeatureFlagDefinition } from '../flags/feature-flag';
import type { EventEnvelope } from '../outbox/event-envelope';
import { OPERATOR_STATS_SECTION_NAME, type OperatorStatsSection } from '../operator-stats/operator-stats';
import type { AnyJobDefinition, ConsoleEventMapping, ContextDefinition, QueueDefinition } from './context';
import type { AnyEventDefinition } from './events';
import type { AnyScheduleDefinition } from './schedules';

export class RegistrationError extends Error {
  override readonly name = 'RegistrationError';
}

/**
 * The contexts an app was assembled from, checked once: two contexts claiming one event type,
 * queue, job, schedule or context name, or a schedule of a job its context does not declare, is a
 * programming error that stops the process before it serves or consumes anything.
 */
export class ContextRegistry {
  readonly contexts: readonly ContextDefinition[];
  private readonly events = new Map<string, { definition: AnyEventDefinition; owner: string }>();
  private readonly queueOwners = new Map<string, { definition: QueueDefinition; owner: string }>();
  private readonly jobs = new Map<string, AnyJobDefinition>();
  private readonly console = new Map<string, ConsoleEventMapping>();
  private readonly scheduleIds = new Map<string, AnyScheduleDefinition>();
  private readonly flags = new Map<string, FeatureFlagDefinition>();
  private readonly statsSections = new Map<string, OperatorStatsSection>();

  constructor(contexts: readonly ContextDefinition[]) {
    this.contexts = contexts;
    const names = new Set<string>();
    for (const context of contexts) {
      if (names.has(context.name)) throw new RegistrationError(`Context "${context.name}" is registered twice`);
      names.add(context.name);
      for (const definition of context.events ?? []) {
        const claimed = this.events.get(definition.type);
        if (claimed) throw new RegistrationError(`Event "${definition.type}" is declared by both ${claimed.owner} and ${context.name}`);
        this.events.set(definition.type, { definition, owner: context.name });
      }
      for (const queue of context.queues ?? []) {
        const claimed = this.queueOwners.get(queue.name);
        if (claimed) throw new RegistrationError(`Queue "${queue.name}" is declared by both ${claimed.owner} and ${context.name}`);
        this.queueOwners.set(queue.name, { definition: queue, owner: context.name });
      }
      for (const flag of context.featureFlags ?? []) {
        if (!FLAG_NAME.test(flag.name) || !flag.name.startsWith(`${context.name}.`)) {
          throw new RegistrationError(`Feature flag "${flag.name}" of ${context.name} must be named "${context.name}.<lowercase-words>"`);
        }
        if (this.flags.has(flag.name)) throw new RegistrationError(`Feature flag "${flag.name}" is declared twice`);
        this.flags.set(flag.name, flag);
      }
      for (const section of context.operatorStats ?? []) {
        if (!OPERATOR_STATS_SECTION_NAME.test(section.name) || section.name === 'queues') {
          throw new RegistrationError(`Operator statistics section "${section.name}" of ${context.name} must be a lower camelCase name other than "queues"`);
        }
        if (this.statsSections.has(section.name)) throw new RegistrationError(`Operator statistics section "${section.name}" is declared twice`);
        this.statsSections.set(section.name, section);
      }
    }
    for (const context of contexts) {
      for (const job of context.jobs ?? []) {
        const key = `${job.queue}/${job.name}`;
        if (!this.queueOwners.has(job.queue)) throw new RegistrationError(`Job ${job.name} of ${context.name} names queue "${job.queue}", which no context declares`);
        if (this.jobs.has(key)) throw new RegistrationError(`Job ${key} is declared twice`);
        this.jobs.set(key, job);
      }
      for (const schedule of context.schedules ?? []) {
        if (!(context.jobs ?? []).includes(schedule.job)) {
          throw new RegistrationError(`Schedule ${schedule.id} of ${context.name} runs ${schedule.job.queue}/${schedule.job.name}, which is not among ${context.name}'s jobs`);
        }
        if (this.scheduleIds.has(schedule.id)) throw new RegistrationError(`Schedule ${schedule.id} is declared twice`);
        this.scheduleIds.set(schedule.id, schedule);
      }
      for (const mapping of context.consoleEvents ?? []) {
        if (this.events.get(mapping.event.type)?.owner !== context.name) {
          throw new RegistrationError(`${context.name} maps "${mapping.event.type}" to the console, but only the context that declares an event may`);
        }
        this.console.set(mapping.event.type, mapping);
      }
    }
  }

  get queues(): readonly QueueDefinition[] {
    return [...this.queueOwners.values()].map((q) => q.definition);
  }

  get queueNames(): string[] {
    return [...this.queueOwners.keys()];
  }

  hasQueue(name: string): boolean {
    return this.queueOwners.has(name);
  }

  /** The declared event of that type, or undefined. */
  event(type: string): AnyEventDefinition | undefined {
    return this.events.get(type)?.definition;
  }

  hasEvent(definition: AnyEventDefinition): boolean {
    return this.events.get(definition.type)?.definition === definition;
  }

  /** Declared (non-event) jobs of one queue. */
  jobsOf(queue: string): AnyJobDefinition[] {
    return [...this.jobs.values()].filter((j) => j.queue === queue);
  }

  hasJob(queue: string, name: string): boolean {
    return this.jobs.has(`${queue}/${name}`);
  }

  /** Every declared schedule, in registration order. */
  get schedules(): readonly AnyScheduleDefinition[] {
    return [...this.scheduleIds.values()];
  }

  /** Every declared feature flag, by name. */
  get featureFlags(): readonly FeatureFlagDefinition[] {
    return [...this.flags.values()];
  }

  /** The declared flag of that name; the same object the declaring context holds, or undefined. */
  featureFlag(name: string): FeatureFlagDefinition | undefined {
    return this.flags.get(name);
  }

  /** The sections of the operators' statistics, in registration order. */
  get operatorStats(): readonly OperatorStatsSection[] {
    return [...this.statsSections.values()];
  }

  /** Which committed events agent consoles see, by outbox type. */
  get consoleEventTypes(): string[] {
    return [...this.console.keys()];
  }

  /** The permissions console audiences name: the gateway puts each socket in the rooms of those its credential holds. */
  get consolePermissions(): string[] {
    return [...new Set([...this.console.values()].flatMap((m) => (m.audience?.permission ? [m.audience.permission] : [])))];
  }

  consoleMapping(envelope: EventEnvelope<unknown>): ConsoleEventMapping | undefined {
    const mapping = this.console.get(envelope.type);
    return mapping && mapping.event.aggregateType === envelope.aggregateType ? mapping : undefined;
  }
}
