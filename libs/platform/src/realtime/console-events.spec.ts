import type { EventEnvelope } from '../outbox/event-envelope';
import { consoleEvent, defineContext } from '../registry/context';
import { ContextRegistry } from '../registry/context-registry';
import { defineEvent } from '../registry/events';
import { consoleTargets, mayReceive, rooms, toConsoleEvent } from './console-events';

const T = 'tenant-1';
const WidgetMade = defineEvent<{ size: number }>()('widgets.widget_made', { aggregate: 'widget' });
const WidgetMoved = defineEvent<{ from: string | null; to: string | null }>()('widgets.widget_moved', { aggregate: 'widget' });
const widgets = defineContext({
  name: 'widgets',
  events: [WidgetMade, WidgetMoved],
  consoleEvents: [
    consoleEvent(WidgetMade, 'widget.made', ({ aggregateId, payload }) => ({ widgetId: aggregateId, size: payload.size })),
    consoleEvent(WidgetMoved, 'widget.moved', ({ payload }) => ({ ...payload }), { users: ({ payload }) => [payload.from, payload.to], permission: 'widgets:read', exceptRoles: ['fitter'] }),
  ],
});
const registry = new ContextRegistry([widgets]);

const envelope = <P>(type: string, payload: P): EventEnvelope<P> => ({
  id: 'e1',
  tenantId: T,
  type,
  eventVersion: 1,
  aggregateType: 'widget',
  aggregateId: 'w1',
  payload,
  occurredAt: '2026-12-01T08:00:00.000Z',
  actorId: null,
  correlationId: null,
});
const made = envelope('widgets.widget_made', { size: 3 }) as EventEnvelope;
const moved = envelope('widgets.widget_moved', { from: 'u-old', to: 'u-new' }) as EventEnvelope;
const mapping = (e: EventEnvelope) => registry.consoleMapping(e)!;

describe('console audiences', () => {
  it('sends an event without an audience to the whole tenant', () => {
    expect(consoleTargets(mapping(made), made)).toEqual([{ to: [rooms.tenant(T)], except: [] }]);
    expect(mayReceive(mapping(made), made, { userId: 'anyone', role: 'fitter', permissions: [] })).toBe(true);
  });

  it('sends an event with an audience to its users, and to the permission’s room minus the excluded roles', () => {
    expect(consoleTargets(mapping(moved), moved)).toEqual([
      { to: [rooms.user(T, 'u-old'), rooms.user(T, 'u-new')], except: [] },
      { to: [rooms.permission(T, 'widgets:read')], except: [rooms.role(T, 'fitter')] },
    ]);
    const unassigned = envelope('widgets.widget_moved', { from: null, to: 'u-new' }) as EventEnvelope;
    expect(consoleTargets(mapping(unassigned), unassigned)[0]).toEqual({ to: [rooms.user(T, 'u-new')], except: [] });
    expect(registry.consolePermissions).toEqual(['widgets:read']);
    expect(toConsoleEvent(registry, moved)).toEqual({ event: 'widget.moved', data: { from: 'u-old', to: 'u-new', eventId: 'e1', occurredAt: '2026-12-01T08:00:00.000Z', actorId: null } });
  });

  it('replays the same rule: concerned users whatever their role, holders of the permission unless excluded', () => {
    const m = mapping(moved);
    expect(mayReceive(m, moved, { userId: 'u-old', role: 'fitter', permissions: ['widgets:read'] })).toBe(true);
    expect(mayReceive(m, moved, { userId: 'u-other', role: 'fitter', permissions: ['widgets:read'] })).toBe(false);
    expect(mayReceive(m, moved, { userId: 'u-dispatch', role: 'agent', permissions: ['widgets:read'] })).toBe(true);
    expect(mayReceive(m, moved, { userId: 'key-1', role: null, permissions: ['widgets:read'] })).toBe(true);
    expect(mayReceive(m, moved, { userId: 'u-viewer', role: 'agent', permissions: [] })).toBe(false);
  });
});
