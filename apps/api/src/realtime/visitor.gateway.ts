import { Inject, Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import { APP_CONFIG, Metrics, ProblemException, REDIS, type AppConfig } from '@switchboard/platform';
import { AuthenticateVisitorQuery, VISITOR_NAMESPACE, visitorRoom, type AuthenticatedVisitor } from '@switchboard/tickets';
import type { Redis } from 'ioredis';
import type { Namespace, Socket } from 'socket.io';
import { HandshakeBudget } from './handshake-budget';

type VisitorSocket = Socket<Record<string, never>, Record<string, (payload: unknown) => void>, Record<string, never>, { visitor: AuthenticatedVisitor }>;

/**
 * The web chat widget's socket endpoint (`/visitor`): a visitor token at the handshake (its
 * channel's allowed origins checked against the page's Origin), and one room, the session's,
 * derived from the token and never from anything the client names. Receive-only: agents' replies
 * arrive through the Redis emitter from whichever process delivered them; a client event closes
 * the socket. The socket closes when the token expires.
 */
@Injectable()
@WebSocketGateway({ namespace: VISITOR_NAMESPACE })
export class VisitorGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('VisitorGateway');
  private readonly handshakes: HandshakeBudget;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(REDIS) redis: Redis,
    private readonly queries: QueryBus,
    private readonly metrics: Metrics,
  ) {
    this.handshakes = new HandshakeBudget(redis, `${config.QUEUE_PREFIX}:rt:visitor-handshakes`, config.REALTIME_HANDSHAKES_PER_MINUTE, config.TRUST_PROXY);
  }

  afterInit(nsp: Namespace): void {
    nsp.use((raw, next) => {
      const socket = raw as VisitorSocket;
      this.admit(socket)
        .then(() => next())
        .catch((error: unknown) => {
          const problem = error instanceof ProblemException ? { status: error.problem.status, type: error.problem.type, detail: error.problem.detail } : { status: 503, type: 'unavailable', detail: 'The server could not check the visitor token; try again shortly.' };
          if (!(error instanceof ProblemException)) this.logger.error({ err: error }, 'Visitor socket authentication failed unexpectedly');
          this.metrics.handshakesRefused.inc({ reason: problem.type });
          next(Object.assign(new Error(problem.detail), { data: problem }));
        });
    });
  }

  private async admit(socket: VisitorSocket): Promise<void> {
    const verdict = await this.handshakes.take(this.handshakes.clientIp(socket.request));
    if (!verdict.allowed) {
      throw new ProblemException({ status: 429, type: 'rate-limited', title: 'Too Many Requests', detail: `Too many chat connections per minute from this address; retry in ${verdict.retryAfterS} s.` });
    }
    const token: unknown = socket.handshake.auth?.token;
    const origin = socket.handshake.headers.origin ?? null;
    socket.data.visitor = await this.queries.execute(new AuthenticateVisitorQuery(typeof token === 'string' && token.length <= 512 ? token : null, origin));
  }

  async handleConnection(raw: Socket): Promise<void> {
    const socket = raw as VisitorSocket;
    const visitor = socket.data.visitor;
    if (!visitor) return void socket.disconnect(true);
    socket.onAny(() => {
      socket.emit('session.closed', { status: 400, type: 'receive-only', detail: 'The visitor socket only receives; send messages with POST /v1/public/widget/{key}/messages.' });
      socket.disconnect(true);
    });
    await socket.join(visitorRoom(visitor.tenantId, visitor.sessionId));
    const left = new Date(visitor.expiresAt).getTime() - Date.now();
    // setTimeout holds at most ~24.8 days; a longer session is re-checked on reconnect.
    const timer = setTimeout(() => socket.disconnect(true), Math.min(Math.max(left, 0), 2 ** 31 - 1));
    timer.unref();
    this.timers.set(socket.id, timer);
    socket.emit('session.ready', { sessionId: visitor.sessionId, expiresAt: visitor.expiresAt });
  }

  handleDisconnect(socket: Socket): void {
    clearTimeout(this.timers.get(socket.id));
    this.timers.delete(socket.id);
  }
}
