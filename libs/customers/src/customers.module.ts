import { Module } from '@nestjs/common';
import { PlatformRecordsRedactor } from '@switchboard/platform';
import { EraseContactHandler } from './commands/erase-contact/erase-contact.handler';
import { RecordErasureStepHandler } from './commands/record-erasure-step/record-erasure-step.handler';
import { GetContactErasureHandler } from './queries/get-contact-erasure/get-contact-erasure.handler';
import { GetErasureTermsHandler } from './queries/get-erasure-terms/get-erasure-terms.handler';
import { ContactErasuresRepository } from './repositories/contact-erasures.repository';
import { DeleteContactAttributeHandler } from './commands/delete-contact-attribute/delete-contact-attribute.handler';
import { RecordContactAttributesHandler } from './commands/record-contact-attributes/record-contact-attributes.handler';
import { SetContactAttributeHandler } from './commands/set-contact-attribute/set-contact-attribute.handler';
import { ListContactAttributesHandler } from './queries/list-contact-attributes/list-contact-attributes.handler';
import { ContactAttributesRepository } from './repositories/contact-attributes.repository';
import { CreateContactHandler } from './commands/create-contact/create-contact.handler';
import { DeleteContactHandler } from './commands/delete-contact/delete-contact.handler';
import { DeleteOrganizationHandler } from './commands/delete-organization/delete-organization.handler';
import { FindOrCreateContactHandler } from './commands/find-or-create-contact/find-or-create-contact.handler';
import { MergeContactsHandler } from './commands/merge-contacts/merge-contacts.handler';
import { SaveAddressHandler } from './commands/save-address/save-address.handler';
import { GetAddressHandler } from './queries/get-address/get-address.handler';
import { ListAddressesHandler } from './queries/list-addresses/list-addresses.handler';
import { SaveOrganizationHandler } from './commands/save-organization/save-organization.handler';
import { UpdateContactHandler } from './commands/update-contact/update-contact.handler';
import { SetContactLocaleHandler } from './commands/set-contact-locale/set-contact-locale.handler';
import { GetContactHandler } from './queries/get-contact/get-contact.handler';
import { GetOrganizationHandler } from './queries/get-organization/get-organization.handler';
import { ListContactsHandler } from './queries/list-contacts/list-contacts.handler';
import { ListOrganizationsHandler } from './queries/list-organizations/list-organizations.handler';
import { AddressesRepository } from './repositories/addresses.repository';
import { ContactsRepository } from './repositories/contacts.repository';
import { OrganizationsRepository } from './repositories/organizations.repository';

/** Contacts and organizations: the people the help desk and field service both serve. */
@Module({
  providers: [
    ContactsRepository,
    OrganizationsRepository,
    AddressesRepository,
    ContactAttributesRepository,
    ContactErasuresRepository,
    PlatformRecordsRedactor,
    EraseContactHandler,
    SetContactLocaleHandler,
    RecordErasureStepHandler,
    GetContactErasureHandler,
    GetErasureTermsHandler,
    RecordContactAttributesHandler,
    SetContactAttributeHandler,
    DeleteContactAttributeHandler,
    ListContactAttributesHandler,
    CreateContactHandler,
    UpdateContactHandler,
    DeleteContactHandler,
    FindOrCreateContactHandler,
    MergeContactsHandler,
    SaveAddressHandler,
    ListAddressesHandler,
    GetAddressHandler,
    SaveOrganizationHandler,
    DeleteOrganizationHandler,
    GetContactHandler,
    ListContactsHandler,
    GetOrganizationHandler,
    ListOrganizationsHandler,
  ],
})
export class CustomersModule {}
