import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const MAX_CAP = 1_000_000_000_000;

export class BudgetCapsDto {
  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: MAX_CAP, description: 'AI spend per billing period in US cents; null clears the cap, absent keeps it. At most the plan’s monthly AI cost (or the operator’s limit).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CAP)
  aiSpendCents?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: MAX_CAP, description: 'API requests per billing period; null clears the cap, absent keeps it.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_CAP)
  apiRequests?: number | null;
}

export class SetBudgetCapsDto extends BudgetCapsDto {
  @ApiPropertyOptional({ description: 'The version last read; a stale one answers 409' }) @IsOptional() @IsInt() @Min(0) version?: number;
}

class BudgetPeriod {
  @ApiProperty({ format: 'date' }) start: string;
  @ApiProperty({ format: 'date', description: 'Exclusive' }) end: string;
}

export class BudgetCapLineResponse {
  @ApiProperty({ enum: ['ai_spend', 'api_requests'] }) category: 'ai_spend' | 'api_requests';
  @ApiProperty({ enum: ['usd_cents', 'requests'] }) unit: 'usd_cents' | 'requests';
  @ApiProperty({ nullable: true, type: Number, description: 'The tenant’s own cap' }) cap: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'The most the tenant may set: the operator’s limit, else the plan’s; null: unlimited' }) ceiling: number | null;
  @ApiProperty({ nullable: true, enum: ['operator', 'plan'] }) ceilingSource: 'operator' | 'plan' | null;
  @ApiProperty({ nullable: true, type: Number, description: 'What is enforced: the lower of cap and ceiling' }) effective: number | null;
  @ApiProperty({ nullable: true, enum: ['tenant', 'operator', 'plan'] }) effectiveSource: 'tenant' | 'operator' | 'plan' | null;
  @ApiProperty({ description: 'Used in the period so far (API requests arrive about two minutes late)' }) used: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When owners and admins were warned in this period' }) warnedAt: string | null;
}

export class BudgetCapsResponse {
  @ApiProperty({ example: 'Business' }) plan: string;
  @ApiProperty({ type: BudgetPeriod }) period: BudgetPeriod;
  @ApiProperty({ description: 'Share of a cap at which owners and admins are warned, once per period' }) warningPercent: number;
  @ApiProperty({ type: BudgetCapLineResponse }) aiSpend: BudgetCapLineResponse;
  @ApiProperty({ type: BudgetCapLineResponse }) apiRequests: BudgetCapLineResponse;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
}
