import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type CommandContext, Ctx, ParseUuidPipe, RequirePermission } from '@switchboard/platform';
import type { Response } from 'express';
import { AddUnavailabilityCommand } from '../commands/add-unavailability/add-unavailability.command';
import { RemoveUnavailabilityCommand } from '../commands/remove-unavailability/remove-unavailability.command';
import { SetWorkingHoursCommand } from '../commands/set-working-hours/set-working-hours.command';
import { unprocessable } from '../domain/problems';
import { GetAvailabilityQuery, type Availability } from '../queries/get-availability/get-availability.query';
import type { UnavailabilityView, WorkingHoursView } from '../repositories/availability.sql';
import { AddUnavailabilityDto, AvailabilityResponse, SetWorkingHoursDto, UnavailabilityQueryDto, UnavailabilityResponse, WorkingHoursResponse } from './availability.dto';

const YEAR = 366 * 86_400_000;
const WHO = 'Another tenant’s user: 404; a member who is not a technician: 422.';

@ApiTags('Field service')
@Controller('field-service/technicians/:userId')
export class TechniciansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Put('working-hours')
  @RequirePermission('jobs:write')
  @ApiOperation({
    summary: 'Set a technician’s weekly working hours',
    description: `Replaces the pattern. Visits booked outside the hours afterwards: 409 outside-working-hours; visits already booked stay. A technician with no hours set is bookable any time. ${WHO}`,
  })
  @ApiOkResponse({ type: WorkingHoursResponse })
  setWorkingHours(@Ctx() ctx: CommandContext, @Param('userId', ParseUuidPipe) userId: string, @Body() body: SetWorkingHoursDto): Promise<WorkingHoursView> {
    return this.commands.execute(new SetWorkingHoursCommand(ctx, userId, body));
  }

  @Get('unavailability')
  @RequirePermission('jobs:read')
  @ApiOperation({ summary: 'A technician’s working hours and the unavailability overlapping [from, to)', description: WHO })
  @ApiOkResponse({ type: AvailabilityResponse })
  availability(@Ctx() ctx: CommandContext, @Param('userId', ParseUuidPipe) userId: string, @Query() query: UnavailabilityQueryDto): Promise<Availability> {
    const from = query.from ? new Date(query.from) : new Date();
    const to = query.to ? new Date(query.to) : new Date(from.getTime() + YEAR);
    if (to.getTime() <= from.getTime()) throw unprocessable('to', 'to must be after from.');
    if (to.getTime() - from.getTime() > YEAR) throw unprocessable('to', 'The span covers at most 366 days.');
    return this.queries.execute(new GetAvailabilityQuery(ctx.tenantId, userId, from, to));
  }

  @Post('unavailability')
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Block a span: vacation, sick day, blocked slot', description: `Visits booked inside it afterwards: 409 technician-unavailable. End not after start: 422. ${WHO}` })
  @ApiCreatedResponse({ type: UnavailabilityResponse })
  async addUnavailability(@Ctx() ctx: CommandContext, @Param('userId', ParseUuidPipe) userId: string, @Body() body: AddUnavailabilityDto, @Res({ passthrough: true }) res: Response): Promise<UnavailabilityView> {
    const block = await this.commands.execute(new AddUnavailabilityCommand(ctx, userId, body));
    res.setHeader('Location', `/v1/field-service/technicians/${userId}/unavailability/${block.id}`);
    return block;
  }

  @Delete('unavailability/:id')
  @HttpCode(204)
  @RequirePermission('jobs:write')
  @ApiOperation({ summary: 'Remove an unavailability' })
  @ApiNoContentResponse()
  async removeUnavailability(@Ctx() ctx: CommandContext, @Param('userId', ParseUuidPipe) userId: string, @Param('id', ParseUuidPipe) id: string): Promise<void> {
    await this.commands.execute(new RemoveUnavailabilityCommand(ctx, userId, id));
  }
}
