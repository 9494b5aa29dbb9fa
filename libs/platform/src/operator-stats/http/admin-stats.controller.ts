import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { PlatformAdmin } from '../../http/platform-admin.guard';
import { OperatorStats, type OperatorStatsView } from '../operator-stats.service';

class StatsWindowResponse {
  @ApiProperty({ format: 'date-time', description: 'Midnight UTC of the first day' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ example: 30 }) days!: number;
  @ApiProperty({ example: 50, description: 'Lists by tenant hold at most this many, largest first' }) top!: number;
}

class QueueHealthResponse {
  @ApiProperty() name!: string;
  @ApiProperty() waiting!: number;
  @ApiProperty() active!: number;
  @ApiProperty() delayed!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Age in seconds of the oldest job waiting to be taken; null when none waits' }) oldestWaitingAgeSeconds!: number | null;
}

export class OperatorStatsResponse {
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ type: StatsWindowResponse }) window!: StatsWindowResponse;
  @ApiProperty({ type: [QueueHealthResponse] }) queues!: QueueHealthResponse[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'One entry per section the contexts declare (null when it failed or took longer than 5 s): `tenants` (by status), `users` (total, estimated when large), ' +
      '`activity` (tickets and messages created per UTC day), `storage` (attachment files and bytes, top tenants), `aiSpend` (this month’s AI calls, tokens and cost in micro-units, top tenants).',
  })
  sections!: Record<string, unknown>;
  @ApiProperty({ type: [String], description: 'Sections (and `queues.<name>`) that did not answer in time' }) unavailable!: string[];
}

@ApiTags('Platform admin')
@PlatformAdmin()
@Controller('admin/stats')
export class AdminStatsController {
  constructor(private readonly stats: OperatorStats) {}

  @Get()
  @ApiOperation({
    summary: 'Operator statistics: tenants, users, daily activity, queue health, AI spend and storage by tenant',
    description: 'Read from counters, rollups and bounded index ranges, never a scan of all data; lists by tenant are capped at the 50 largest.',
  })
  @ApiOkResponse({ type: OperatorStatsResponse })
  get(): Promise<OperatorStatsView> {
    return this.stats.collect();
  }
}
