import { Module } from '@nestjs/common';
import { FieldServiceModule } from './field-service.module';
import { FieldServiceController } from './http/field-service.controller';
import { LeadsController } from './http/leads.controller';
import { MessagesController } from './http/messages.controller';
import { ServicesController } from './http/services.controller';
import { TechniciansController } from './http/technicians.controller';

@Module({
  imports: [FieldServiceModule],
  controllers: [ServicesController, LeadsController, FieldServiceController, TechniciansController, MessagesController],
})
export class FieldServiceHttpModule {}
