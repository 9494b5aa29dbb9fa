import { Controller, Get, Inject, Injectable } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { isCluster, type RedisClient } from '../redis/redis-client';
import { Public } from '../auth/auth.decorators';
import { RateLimit } from '../http/rate-limit';
import { REDIS } from '../redis/redis.module';

const CHECK_TIMEOUT_MS = 1_500;

@Injectable()
export class RedisHealthIndicator {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isHealthy(key: string) {
    const indicator = this.indicators.check(key);
    try {
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref());
      await Promise.race([this.ready(), timeout]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }

  /** A server that answers PING; a cluster whose node we reach says its slots are all served (`cluster_state:ok`). */
  private async ready(): Promise<void> {
    if (!isCluster(this.redis)) {
      await this.redis.ping();
      return;
    }
    const info = await this.redis.cluster('INFO');
    const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
    if (state !== 'ok') throw new Error(`cluster_state:${state}`);
  }
}

/**
 * Whether this process is shutting down: it still answers what it has received, but readiness
 * says no, so a load balancer sends it nothing new.
 */
@Injectable()
export class ShutdownState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  begin(): void {
    this.draining = true;
  }
}

/** Both apps answer the same readiness question: can this process reach Postgres and Redis, and is it staying? */
@Injectable()
export class ReadinessCheck {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
  ) {}

  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
      () => this.redis.isHealthy('redis'),
      () => (this.shutdown.isDraining ? this.indicators.check('process').down({ message: 'shutting down' }) : this.indicators.check('process').up()),
    ]);
  }
}

@ApiTags('Operations')
@Public()
@RateLimit('skip')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessCheck) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: database and Redis reachable' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down (problem+json with the checks)' })
  ready(): Promise<HealthCheckResult> {
    return this.readiness.check();
  }
}
