import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { ASSIGNMENT_MODES, type AssignmentMode, type Ineligibility } from '../domain/assignment-policy';
import type { AssignmentMemberView, AssignmentOverview } from '../domain/assignment-view';

const nullable = ValidateIf((_, v) => v !== null);

export class MemberCapacityDto {
  @ApiProperty({ format: 'uuid', description: 'A member of the group' }) @IsUUID() userId: string;
  @ApiProperty({ nullable: true, type: Number, minimum: 0, maximum: 1000, description: 'Their own capacity in this group; null for the group’s' })
  @nullable @IsInt() @Min(0) @Max(1000) capacity: number | null;
}

export class UpdateAssignmentPolicyDto {
  @ApiPropertyOptional({ enum: ASSIGNMENT_MODES, description: 'none: tickets wait for someone to take them; round_robin: members in turn; least_loaded: the member with the fewest new and open tickets' })
  @IsOptional() @IsIn(ASSIGNMENT_MODES) mode?: AssignmentMode;
  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: 1000, description: 'How many new and open tickets a member may hold before being skipped; null for no limit' })
  @IsOptional() @nullable @IsInt() @Min(0) @Max(1000) defaultCapacity?: number | null;
  @ApiPropertyOptional({ type: [MemberCapacityDto], maxItems: 500, description: 'Members’ own capacities; members not named keep theirs' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => MemberCapacityDto) members?: MemberCapacityDto[];
}

export class AssignmentMemberResponse implements AssignmentMemberView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The member’s own capacity, or null' }) capacity: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'What applies: their own, else the group’s; null is no limit' }) effectiveCapacity: number | null;
  @ApiProperty({ description: 'Their new and open tickets, in every group' }) load: number;
  @ApiProperty({ enum: ['online', 'away', 'offline'], description: 'From their agent consoles' }) presence: 'online' | 'away' | 'offline';
  @ApiProperty({ description: 'Whether they can be given a ticket now' }) eligible: boolean;
  @ApiProperty({ nullable: true, enum: ['offline', 'away', 'at_capacity'], description: 'Why they are skipped' }) reason: Ineligibility | null;
}

export class AssignmentResponse implements AssignmentOverview {
  @ApiProperty({ format: 'uuid' }) groupId: string;
  @ApiProperty({ enum: ASSIGNMENT_MODES }) mode: AssignmentMode;
  @ApiProperty({ nullable: true, type: Number }) defaultCapacity: number | null;
  @ApiProperty({ description: 'Unassigned new and open tickets of the group' }) waiting: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'Who got the last automatic assignment (round robin continues after them)' }) lastAssigneeId: string | null;
  @ApiProperty({ description: 'Automatic assignments so far' }) assignedCount: number;
  @ApiProperty({ type: [AssignmentMemberResponse], description: 'In the order round robin takes them (when they joined)' }) members: AssignmentMemberResponse[];
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) updatedAt: string | null;
}
