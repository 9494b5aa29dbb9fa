import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Probe } from '../entities/probe.entity';

export class CreateProbeDto {
  @ApiPropertyOptional({ maxLength: 200, description: 'Free text to recognise the probe by' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  note?: string;
}

export class ProbeResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ enum: ['pending', 'consumed'] }) status: 'pending' | 'consumed';
  @ApiProperty({ description: 'How many times the worker applied it; more than 1 would be a duplicate' }) consumptionCount: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) consumedAt: string | null;

  static from(probe: Probe): ProbeResponse {
    return {
      id: probe.id,
      note: probe.note,
      status: probe.consumedAt ? 'consumed' : 'pending',
      consumptionCount: probe.consumptionCount,
      createdAt: probe.createdAt.toISOString(),
      consumedAt: probe.consumedAt ? probe.consumedAt.toISOString() : null,
    };
  }
}

export class ProbePageResponse {
  @ApiProperty({ type: [ProbeResponse] }) data: ProbeResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
