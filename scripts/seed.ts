import 'reflect-metadata';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { loadConfigOrExit, PlatformModule, type AppConfig } from '../libs/platform/src';
import { AddMemberCommand, CreateTenantCommand, TenancyModule } from '../libs/tenancy/src';
import { KnowledgeBaseModule } from '../libs/knowledge-base/src';
import { AiGatewayModule, embeddingsCacheDir, loadWordVectorTable, type AiGatewayConfig } from '../libs/ai-gateway/src';
import { seedHelpCenter } from './seed-help-center';
import { CONTEXTS } from '../apps/contexts';

/** The demo tenant `npm start` creates on an empty database; its credentials are printed. */
export const DEMO = {
  tenant: { name: 'Demo Services', slug: 'demo', timezone: 'Europe/London', locale: 'en' },
  password: 'switchboard-demo',
  people: [
    { email: 'owner@demo.switchboard.local', name: 'Olivia Owner', role: 'owner' as const },
    { email: 'agent@demo.switchboard.local', name: 'Adam Agent', role: 'agent' as const },
    { email: 'tech@demo.switchboard.local', name: 'Tara Technician', role: 'technician' as const },
  ],
};

@Module({})
class SeedModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: SeedModule, imports: [PlatformModule.forRoot(config, { http: false, contexts: CONTEXTS }), AiGatewayModule.forRoot(config), TenancyModule, KnowledgeBaseModule] };
  }
}

/** `npm run seed`: only on a database without tenants, so it never touches real data. */
async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, CONTEXTS);
  const app = await NestFactory.createApplicationContext(SeedModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    await prepareLocalEmbedder(config);
    const [{ n }]: { n: number }[] = await app.get(DataSource).query(`SELECT count(*)::int AS n FROM tenants`);
    if (n > 0) {
      process.stderr.write('seed: the database already has tenants; nothing to do\n');
      return;
    }
    const commands = app.get(CommandBus);
    const [owner, ...others] = DEMO.people;
    const actor = { actorId: null, actorType: 'system' as const, correlationId: 'seed' };
    const tenant = await commands.execute(new CreateTenantCommand(actor, { ...DEMO.tenant, owner: { ...owner, password: DEMO.password } }));
    for (const person of others) {
      await commands.execute(new AddMemberCommand({ ...actor, tenantId: tenant.id }, { ...person, password: DEMO.password }));
    }
    const articles = await seedHelpCenter(commands, { ...actor, tenantId: tenant.id });
    process.stdout.write(`Demo tenant "${tenant.slug}" — password for everyone: ${DEMO.password}\n`);
    process.stdout.write(`  help center  /v1/help-center/${tenant.slug}/articles (${articles.publicArticles} public of ${articles.published} published articles; search: /v1/help-center/${tenant.slug}/search?q=password)\n`);
    for (const p of DEMO.people) process.stdout.write(`  ${p.role.padEnd(10)} ${p.email}\n`);
  } finally {
    await app.close();
  }
}

/**
 * The local embedder's word table is converted once per data directory (seconds of CPU on a quiet
 * machine, a minute on a busy one). Doing it here, before the api and the worker start, keeps that
 * off their start-up, where it competed with the api's boot for the same cores.
 */
async function prepareLocalEmbedder(config: AppConfig): Promise<void> {
  const ai = config as AppConfig & AiGatewayConfig;
  if (ai.EMBEDDINGS_PROVIDER !== 'local' && ai.EMBEDDINGS_PROVIDER !== 'local-lexical') return;
  await loadWordVectorTable({ cacheDir: embeddingsCacheDir(ai), onConvert: (message) => process.stderr.write(`seed: ${message}\n`) });
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
