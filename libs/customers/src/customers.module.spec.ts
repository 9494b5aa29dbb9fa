import { Global, Module } from '@nestjs/common';
import { CommandBus, CqrsModule, QueryBus } from '@nestjs/cqrs';
import { Test } from '@nestjs/testing';
import { TenantTransaction } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import { DeleteContactCommand } from './commands/delete-contact/delete-contact.command';
import { FindOrCreateContactCommand } from './commands/find-or-create-contact/find-or-create-contact.command';
import { CustomersModule } from './customers.module';
import { GetOrganizationQuery } from './queries/get-organization/get-organization.query';
import { ContactsRepository } from './repositories/contacts.repository';
import { OrganizationsRepository } from './repositories/organizations.repository';

/** What PlatformModule provides (globally) that customers uses, faked: no database. */
@Global()
@Module({ imports: [CqrsModule.forRoot()], providers: [{ provide: TenantTransaction, useValue: new FakeTenantTransaction() }], exports: [CqrsModule, TenantTransaction] })
class FakePlatformModule {}

describe('CustomersModule', () => {
  it('boots with nothing but the platform, and its handlers answer on the buses', async () => {
    const contacts = { findForUpdate: async () => undefined, lockIdentity: async () => undefined, findIdByIdentity: async () => 'c1', find: async () => ({ id: 'c1', name: 'Ada' }) };
    const organizations = { find: async () => undefined };
    const moduleRef = await Test.createTestingModule({ imports: [FakePlatformModule, CustomersModule] })
      .overrideProvider(ContactsRepository)
      .useValue(contacts)
      .overrideProvider(OrganizationsRepository)
      .useValue(organizations)
      .compile();
    await moduleRef.init();
    try {
      const commands = moduleRef.get(CommandBus);
      await expect(commands.execute(new DeleteContactCommand(testContext(), 'c9', null))).rejects.toMatchObject({ problem: { status: 404 } });
      // What another context (tickets) sends: it needs nothing beyond this module.
      expect(await commands.execute(new FindOrCreateContactCommand(testContext(), { email: 'ada@example.com' }, undefined))).toMatchObject({ contact: { id: 'c1' }, created: false });
      await expect(moduleRef.get(QueryBus).execute(new GetOrganizationQuery(testContext().tenantId, 'o9'))).rejects.toMatchObject({ problem: { status: 404 } });
    } finally {
      await moduleRef.close();
    }
  });
});
