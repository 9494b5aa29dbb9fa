import { Module } from '@nestjs/common';
import { CustomersModule } from './customers.module';
import { ContactsController } from './http/contacts.controller';
import { OrganizationsController } from './http/organizations.controller';

@Module({
  imports: [CustomersModule],
  controllers: [ContactsController, OrganizationsController],
})
export class CustomersHttpModule {}
