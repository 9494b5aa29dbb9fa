import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { DigestSettingsView } from '../repositories/digests.sql';

export class DigestSettingsResponse implements DigestSettingsView {
  @ApiProperty({ description: 'Whether owners and admins get the weekly report digest (Mondays from 07:00 in the tenant’s time zone)' }) weeklyEnabled: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date', description: 'The Monday of the last week a digest went out for' }) lastWeekSent: string | null;
}

export class SetDigestSettingsDto {
  @ApiProperty({ description: 'Off: no more weekly digests until it is turned back on' }) @IsBoolean() weeklyEnabled: boolean;
}
