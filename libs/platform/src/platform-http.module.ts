import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CredentialGuard } from './auth/credential.guard';
import { RateLimitGuard } from './http/rate-limit';
import { ProbesController } from './diagnostics/http/probes.controller';
import { ContentTypeMiddleware } from './http/content-type.middleware';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { PlatformAdminGuard } from './http/platform-admin.guard';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { createValidationPipe } from './http/validation';
import { HealthController } from './observability/health';
import { HttpMetricsMiddleware } from './observability/http-metrics.middleware';
import { MetricsController } from './observability/metrics.controller';

/** The api's HTTP conventions: problem+json, validation, idempotency, metrics, health. */
@Module({
  controllers: [HealthController, MetricsController, ProbesController],
  providers: [
    PlatformAdminGuard,
    // Order matters: who is calling first, then how much they may call.
    { provide: APP_GUARD, useClass: CredentialGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
})
export class PlatformHttpModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware, ContentTypeMiddleware).forRoutes('{*path}');
  }
}
