import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';
import { ProblemException } from '../http/problem';
import { RateLimit } from '../http/rate-limit';
import { Metrics } from './metrics';
import { METRICS_REALM, metricsAccess } from './metrics-access';

@ApiExcludeController()
@Public()
@RateLimit('skip')
@Controller('metrics')
export class MetricsController {
  private readonly refusal: (authorization: string | undefined) => string | null;

  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.refusal = metricsAccess(config.METRICS_TOKEN);
  }

  @Get()
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    const refused = this.refusal(req.headers.authorization);
    if (refused) throw new ProblemException({ status: 401, type: 'unauthorized', title: 'Unauthorized', detail: refused, headers: { 'WWW-Authenticate': METRICS_REALM } });
    const { contentType, body } = await this.metrics.render();
    res.type(contentType).send(body);
  }
}
