import { jest } from '@jest/globals';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { TenantTx } from '../database/tenant-transaction';
import { EventConsumer } from '../outbox/event-consumer';
import type { EventEnvelope } from '../outbox/event-envelope';
import { platformContext } from '../platform.context';
import { HandlesJob, OnEvent } from '../queues/job-handler';
import { JobHandlerRegistry } from '../queues/job-handler-registry';
import { defineContext, defineJob, type QueueDefinition } from './context';
import { ContextRegistry, RegistrationError } from './context-registry';
import { defineFeatureFlag } from '../flags/feature-flag';
import { defineOperatorStats } from '../operator-stats/operator-stats';
import { FeatureFlags } from '../flags/feature-flags';
import { defineEvent } from './events';

const WidgetsQueue: QueueDefinition = { name: 'widgets', description: 'test' };
const WidgetMade = defineEvent<{ size: number }>()('widgets.widget_made', { aggregate: 'widget' });
const GadgetMade = defineEvent<{ colour: string }>()('gadgets.gadget_made', { aggregate: 'gadget', version: 2 });
const widgets = defineContext({ name: 'widgets', events: [WidgetMade], queues: [WidgetsQueue] });
const gadgets = defineContext({ name: 'gadgets', events: [GadgetMade] });

async function boot(contexts: Parameters<typeof defineContext>[0][], providers: unknown[]) {
  const once = jest.fn(async (_consumer: string, _event: unknown, effect: (tx: TenantTx) => Promise<void>) => {
    await effect({ marker: 'tx' } as unknown as TenantTx);
    return true;
  });
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [
      JobHandlerRegistry,
      { provide: ContextRegistry, useValue: new ContextRegistry([platformContext, ...contexts]) },
      { provide: EventConsumer, useValue: { once } },
      ...(providers as never[]),
    ],
  }).compile();
  await moduleRef.init();
  return { registry: moduleRef.get(JobHandlerRegistry), moduleRef, once };
}

describe('defineEvent', () => {
  it('raises events that carry their definition, and narrows committed envelopes', () => {
    const event = GadgetMade.of('g1', { colour: 'red' }, { actorId: null });
    expect(event).toMatchObject({ type: 'gadgets.gadget_made', version: 2, aggregateType: 'gadget', aggregateId: 'g1', payload: { colour: 'red' }, actorId: null });
    expect(GadgetMade.context).toBe('gadgets');
    const envelope = { type: 'gadgets.gadget_made', payload: { colour: 'red' } } as EventEnvelope<unknown>;
    expect(GadgetMade.is(envelope) && envelope.payload.colour).toBe('red');
    expect(WidgetMade.is(envelope)).toBe(false);
  });

  it('refuses names that are not <context>.<what_happened>', () => {
    expect(() => defineEvent()('WidgetMade', { aggregate: 'widget' })).toThrow(/must look like/);
    expect(() => defineEvent()('widgets.made', { aggregate: 'widget', version: 0 })).toThrow(/positive integer/);
  });

  it('types payloads and subscriptions at compile time (checked by npm run typecheck)', () => {
    // @ts-expect-error a payload of the wrong shape does not compile
    WidgetMade.of('w1', { colour: 'red' });
    // @ts-expect-error an event written by hand is not a raised event
    const literal: ReturnType<typeof WidgetMade.of> = { type: 'widgets.widget_made', aggregateType: 'widget', aggregateId: 'w', payload: { size: 1 }, version: 1 };
    expect(literal).toBeDefined();
    // @ts-expect-error a subscription names a declared event definition, never a string
    OnEvent('widgets.widget_made', { queue: WidgetsQueue, job: 'x' });
    class WrongPayload {
      async handle(event: EventEnvelope<{ colour: string }>, _tx: TenantTx): Promise<void> {
        void event.payload.colour.length;
      }
    }
    // @ts-expect-error a handler must accept the payload of the event it subscribes to
    OnEvent(WidgetMade, { queue: WidgetsQueue, job: 'y' })(WrongPayload);
  });
});

describe('ContextRegistry', () => {
  it('refuses two contexts declaring one event, queue or name at boot', () => {
    expect(() => new ContextRegistry([widgets, defineContext({ name: 'copy', events: [WidgetMade] })])).toThrow(/Event "widgets.widget_made" is declared by both widgets and copy/);
    expect(() => new ContextRegistry([widgets, defineContext({ name: 'copy', queues: [WidgetsQueue] })])).toThrow(/Queue "widgets" is declared by both/);
    expect(() => new ContextRegistry([widgets, widgets])).toThrow(/Context "widgets" is registered twice/);
  });

  it('refuses a job on a queue nobody declares, and console events of another context', () => {
    expect(() => new ContextRegistry([defineContext({ name: 'x', jobs: [defineJob()('nowhere', 'x.job')] })])).toThrow(/names queue "nowhere"/);
    const stealing = defineContext({ name: 'thief', consoleEvents: [{ event: WidgetMade, name: 'widget.made', present: () => ({}) }] });
    expect(() => new ContextRegistry([widgets, stealing])).toThrow(/only the context that declares an event may/);
  });
});

describe('operator statistics sections in the registry', () => {
  it('keeps each section in order, and refuses a bad or reserved name or a second declaration at boot', () => {
    const section = (name: string) => defineOperatorStats({ name, description: 'x', collect: async () => ({}) });
    const registry = new ContextRegistry([defineContext({ name: 'alpha', operatorStats: [section('widgets')] }), defineContext({ name: 'beta', operatorStats: [section('gadgetSpend')] })]);
    expect(registry.operatorStats.map((s) => s.name)).toEqual(['widgets', 'gadgetSpend']);
    expect(() => new ContextRegistry([defineContext({ name: 'alpha', operatorStats: [section('Bad-Name')] })])).toThrow(/lower camelCase/);
    expect(() => new ContextRegistry([defineContext({ name: 'alpha', operatorStats: [section('queues')] })])).toThrow(RegistrationError);
    expect(() => new ContextRegistry([defineContext({ name: 'alpha', operatorStats: [section('widgets')] }), defineContext({ name: 'beta', operatorStats: [section('widgets')] })])).toThrow(/declared twice/);
  });
});

describe('feature flags in the registry', () => {
  it('keeps each declared flag, named after its context, and refuses a bad name or a second declaration at boot', () => {
    const flag = defineFeatureFlag('alpha.new-thing', { description: 'x' });
    const registry = new ContextRegistry([defineContext({ name: 'alpha', featureFlags: [flag] })]);
    expect(registry.featureFlag('alpha.new-thing')).toBe(flag);
    expect(flag.default).toBe(false);
    expect(() => new ContextRegistry([defineContext({ name: 'alpha', featureFlags: [defineFeatureFlag('beta.thing', { description: 'x' })] })])).toThrow(/must be named "alpha\./);
    expect(() => new ContextRegistry([defineContext({ name: 'alpha', featureFlags: [defineFeatureFlag('alpha.Bad_Name', { description: 'x' })] })])).toThrow(RegistrationError);
    expect(() => new ContextRegistry([defineContext({ name: 'alpha', featureFlags: [flag, defineFeatureFlag('alpha.new-thing', { description: 'y' })] })])).toThrow(/declared twice/);
  });

  it('stops a process at boot when code takes a handle on a flag no registered context declares', () => {
    const declared = defineFeatureFlag('alpha.known', { description: 'x', default: true });
    const flags = new FeatureFlags(new ContextRegistry([defineContext({ name: 'alpha', featureFlags: [declared] })]), {} as never);
    expect(flags.handle(declared).definition).toBe(declared);
    expect(() => flags.handle(defineFeatureFlag('alpha.unknown', { description: 'x' }))).toThrow(/not declared by any registered context/);
    // Same name, another object: a copy declared elsewhere is not the registered flag either.
    expect(() => flags.handle({ ...declared })).toThrow(/not declared/);
  });
});

describe('JobHandlerRegistry', () => {
  @OnEvent(WidgetMade, { queue: WidgetsQueue, job: 'widgets.count' })
  class CountWidgets {
    seen: { size: number; tx: unknown }[] = [];
    async handle(event: EventEnvelope<{ size: number }>, tx: TenantTx): Promise<void> {
      this.seen.push({ size: event.payload.size, tx });
    }
  }

  it('builds the relay routes from subscriptions beside their handlers, and runs them with a receipt', async () => {
    const { registry, moduleRef, once } = await boot([widgets], [CountWidgets]);
    expect(registry.subscriptionsFor('widgets.widget_made')).toEqual([{ queue: 'widgets', job: 'widgets.count' }]);
    expect(registry.subscriptionsFor('widgets.unknown')).toEqual([]);
    const event = { id: 'e1', type: 'widgets.widget_made', payload: { size: 3 } };
    await registry.dispatch('widgets', { name: 'widgets.count', data: event } as never);
    expect(once).toHaveBeenCalledWith('widgets:widgets.count', event, expect.any(Function));
    expect(moduleRef.get(CountWidgets).seen).toEqual([{ size: 3, tx: { marker: 'tx' } }]);
  });

  it('refuses at boot a subscription to an event no registered context declares', async () => {
    @OnEvent(GadgetMade, { queue: WidgetsQueue, job: 'widgets.gadgets' })
    class Orphan {
      async handle(): Promise<void> {}
    }
    await expect(boot([widgets], [Orphan])).rejects.toThrow(/subscribes to "gadgets.gadget_made", which no registered context declares/);
    await expect(boot([widgets, gadgets], [Orphan])).resolves.toBeDefined();
  });

  it('refuses at boot a subscription through an undeclared queue, a handler of an undeclared job, and two handlers of one job', async () => {
    @OnEvent(WidgetMade, { queue: { name: 'elsewhere', description: '' }, job: 'x' })
    class Lost {
      async handle(): Promise<void> {}
    }
    await expect(boot([widgets], [Lost])).rejects.toThrow(/through queue "elsewhere", which no context declares/);
    const Undeclared = defineJob()('widgets', 'widgets.polish');
    @HandlesJob(Undeclared)
    class Polish {
      async handle(): Promise<void> {}
    }
    await expect(boot([widgets], [Polish])).rejects.toThrow(/handles job widgets\/widgets.polish, which no context declares/);
    @OnEvent(WidgetMade, { queue: WidgetsQueue, job: 'widgets.count' })
    class CountAgain {
      async handle(): Promise<void> {}
    }
    await expect(boot([widgets], [CountWidgets, CountAgain])).rejects.toThrow(/Two handlers registered for job widgets\/widgets.count/);
  });
});
