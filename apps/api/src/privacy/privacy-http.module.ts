import { Module } from '@nestjs/common';
import { CustomersModule } from '@switchboard/customers';
import { FieldServiceModule } from '@switchboard/field-service';
import { TicketsModule } from '@switchboard/tickets';
import { ContactExportController } from './contact-export.controller';

/** Privacy requests that span contexts (ADR 0031): the access-request export. */
@Module({
  imports: [CustomersModule, TicketsModule, FieldServiceModule],
  controllers: [ContactExportController],
})
export class PrivacyHttpModule {}
