import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CHART_LIMITS } from '../charts/report-chart-spec';
import { ReportQueryDto } from './reports.dto';

export class ReportChartQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ minimum: CHART_LIMITS.width.min, maximum: CHART_LIMITS.width.max, default: CHART_LIMITS.width.default, description: 'Width of the plot area in pixels (axes and legend add to it)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(CHART_LIMITS.width.min)
  @Max(CHART_LIMITS.width.max)
  width?: number;

  @ApiPropertyOptional({ minimum: CHART_LIMITS.height.min, maximum: CHART_LIMITS.height.max, default: CHART_LIMITS.height.default, description: 'Height of the plot area in pixels' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(CHART_LIMITS.height.min)
  @Max(CHART_LIMITS.height.max)
  height?: number;
}
