import { Module } from '@nestjs/common';
import { CustomersModule } from './customers.module';
import { ContactAttributesController } from './http/contact-attributes.controller';
import { ContactsController } from './http/contacts.controller';
import { OrganizationsController } from './http/organizations.controller';

@Module({
  imports: [CustomersModule],
  controllers: [ContactsController, ContactAttributesController, OrganizationsController],
})
export class CustomersHttpModule {}
