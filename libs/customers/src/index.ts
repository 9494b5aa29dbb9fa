export { CustomersModule } from './customers.module';
export { CustomersHttpModule } from './customers-http.module';
export { FindOrCreateContactCommand, type FoundContact } from './commands/find-or-create-contact/find-or-create-contact.command';
export { GetContactQuery } from './queries/get-contact/get-contact.query';
export type { ContactView } from './repositories/contacts.sql';
export { GetAddressQuery } from './queries/get-address/get-address.query';
export type { AddressView } from './repositories/addresses.sql';
export * from './customers.context';
