import { Query } from '@nestjs/cqrs';
import type { ConsoleEvent, ConsoleViewer } from '../../console-events';

export interface ReplayPage {
  /** Oldest first; may repeat events committed shortly before `after` (drop them by eventId). */
  data: ConsoleEvent[];
  /** More events follow: call again with `after` = lastEventId. */
  hasMore: boolean;
  /** The cursor for the next call (the newest event returned, or `after` when none). */
  lastEventId: string | null;
}

export class ReplayConsoleEventsQuery extends Query<ReplayPage> {
  constructor(
    readonly tenantId: string,
    /** Replay what followed this event; null for the newest `limit` events. */
    readonly after: string | null,
    readonly limit: number,
    /** Whose console replays: events with an audience (ConsoleAudience) it is not in are left out. Null: every event (the cursor only). */
    readonly viewer: ConsoleViewer | null = null,
  ) {
    super();
  }
}
