import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, ModulesContainer } from '@nestjs/core';
import { CredentialGuard } from './auth/credential.guard';
import { EarlyRateLimit } from './http/early-rate-limit';
import { RateLimitGuard } from './http/rate-limit';
import { TenantRequestLimits } from './http/tenant-request-limits';
import { ProbesController } from './diagnostics/http/probes.controller';
import { FeatureFlagsController } from './flags/http/feature-flags.controller';
import { bindIdempotency, IdempotencyInterceptor } from './http/idempotency.interceptor';
import { PlatformAdminGuard } from './http/platform-admin.guard';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/validation';
import { HealthController } from './observability/health';
import { MetricsController } from './observability/metrics.controller';
import { AdminStatsController } from './operator-stats/http/admin-stats.controller';
import { OperatorStats } from './operator-stats/operator-stats.service';

const IDEMPOTENT_ROUTES = Symbol('IDEMPOTENT_ROUTES');

/**
 * The api's HTTP conventions: problem+json, validation, idempotency, metrics, health. Request id,
 * security headers, the 415 check, latency metrics and the request log are not Nest middleware but
 * the express-level first step of every request (`configureHttpApp` → `requestEntry`).
 */
@Module({
  exports: [EarlyRateLimit],
  controllers: [HealthController, MetricsController, ProbesController, FeatureFlagsController, AdminStatsController],
  providers: [
    PlatformAdminGuard,
    OperatorStats,
    EarlyRateLimit,
    TenantRequestLimits,
    // Order matters: who is calling first, then how much they may call.
    { provide: APP_GUARD, useClass: CredentialGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    // Not global: bound to the POST and PATCH handlers only, so reads skip the interceptor chain.
    IdempotencyInterceptor,
    { provide: IDEMPOTENT_ROUTES, useFactory: bindIdempotency, inject: [ModulesContainer, IdempotencyInterceptor] },
  ],
})
export class PlatformHttpModule {}
