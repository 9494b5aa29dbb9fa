export * from './console-events';
export * from './console-publisher';
export * from './queries/replay-events/replay-events.query';
export * from './queries/replay-events/replay-events.handler';
export * from './presence.store';
export * from './agent-presence';
