import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { CommandContext } from '@switchboard/platform';
import type { PromptTemplates } from '../templates/prompt-templates.service';
import { variable, type Conversation } from '../templates/template-variables';
import { defineAiFeature } from './ai-feature';
import { AiFeatureRegistrationError, AiFeatureRegistry } from './ai-feature-registry';
import { AiFeatureRegistryModule, AiFeaturesModule } from './ai-features.module';
import { completionFeature, extractionFeature } from './gateway-features';

const summary = defineAiFeature<{ subject: string; conversation: Conversation }>({
  name: 'summary',
  description: 'test',
  offline: 'summary',
  contract: { subject: variable.text, conversation: variable.conversation },
  defaultTemplate: [{ role: 'user', content: '{{subject}}: {{conversation}}' }],
});
const answer = defineAiFeature<{ question: string }>({ name: 'answer', description: 'test', contract: { question: variable.text }, defaultTemplate: [{ role: 'user', content: '{{question}}' }] });
const plain = defineAiFeature({ name: 'chat', description: 'test' });

describe('AiFeatureRegistry', () => {
  it("holds the gateway's own features, and lists the contexts' first, by name, whatever the order they came in", () => {
    const registry = new AiFeatureRegistry();
    expect(registry.names).toEqual(['extraction', 'completion']);
    registry.register([summary, plain]);
    registry.register([answer]);
    expect(registry.names).toEqual(['answer', 'chat', 'summary', 'extraction', 'completion']);
    expect(registry.templated.map((f) => f.name)).toEqual(['answer', 'summary', 'extraction']);
    expect(registry.find('summary')).toBe(summary);
    expect(registry.findTemplated('chat')).toBeUndefined();
    expect(registry.findTemplated('completion')).toBeUndefined();
    expect(registry.find('nope')).toBeUndefined();
  });

  it('refuses a feature registered twice: by two contexts, by one context twice, or over a gateway feature', () => {
    const registry = new AiFeatureRegistry();
    registry.register([summary]);
    expect(() => registry.register([summary])).toThrow(new AiFeatureRegistrationError('AI feature "summary" is registered twice'));
    const impostor = defineAiFeature<{ subject: string }>({ name: 'summary', description: 'x', contract: { subject: variable.text }, defaultTemplate: [{ role: 'user', content: '{{subject}}' }] });
    expect(() => registry.register([impostor])).toThrow(/AI feature "summary" is registered twice/);
    expect(() => registry.register([defineAiFeature({ name: 'completion', description: 'x' })])).toThrow(/AI feature "completion" is registered twice/);
    expect(() => new AiFeatureRegistry([extractionFeature, extractionFeature])).toThrow(AiFeatureRegistrationError);
  });

  it('refuses, on use, a feature nobody registered or another definition under a registered name', () => {
    const registry = new AiFeatureRegistry();
    registry.register([summary]);
    expect(registry.resolve(summary)).toBe(summary);
    expect(registry.resolve(completionFeature)).toBe(completionFeature);
    expect(() => registry.resolve(answer)).toThrow(/AI feature "answer" is used but not registered: the context that owns it lists it in AiFeaturesModule.register/);
    const lookalike = { ...summary };
    expect(() => registry.resolve(lookalike)).toThrow(/AI feature "summary" is used with a definition other than the registered one/);
  });

  it('refuses a feature whose default template does not fit its contract, naming the problem', () => {
    const broken = defineAiFeature<{ subject: string }>({ name: 'broken', description: 'x', contract: { subject: variable.text }, defaultTemplate: [{ role: 'user', content: '{{subjet}}' }] });
    expect(() => new AiFeatureRegistry().register([broken])).toThrow(/AI feature "broken": The broken template is not valid: .*unknown variable "subjet"/);
  });

  it('compiles each default once, when registered', () => {
    const registry = new AiFeatureRegistry();
    registry.register([summary]);
    expect(registry.compiledDefault(summary)).toBe(registry.compiledDefault(summary));
    expect(registry.compiledDefault(summary)).toMatchObject({ feature: 'summary', contract: summary.contract });
  });
});

describe('defineAiFeature', () => {
  it('refuses names that are not URL segments, and a contract without a default (or the reverse)', () => {
    expect(() => defineAiFeature({ name: 'Summary', description: 'x' })).toThrow(/a name is 1–40 lower-case letters/);
    expect(() => defineAiFeature({ name: 'a/b', description: 'x' })).toThrow(/a name is/);
    expect(() => defineAiFeature({ name: 'x', description: 'x', contract: {} } as never)).toThrow(/a contract and a default template come together/);
    expect(plain).toEqual({ name: 'chat', description: 'test', offline: null, contract: null, defaultTemplate: null });
  });

  it('types rendering by the definition: the variables must be exactly the feature’s (checked by tsc)', () => {
    const ctx = {} as CommandContext;
    const render = (() => undefined) as unknown as PromptTemplates['render'];
    render(ctx, summary, { subject: 's', conversation: [{ author: 'a', text: 't' }] });
    // @ts-expect-error a variable of another feature
    render(ctx, summary, { question: 'q' });
    // @ts-expect-error a missing variable
    render(ctx, summary, { subject: 's' });
    // @ts-expect-error a variable of the wrong type
    render(ctx, answer, { question: 3 });
    // @ts-expect-error a feature without a template cannot be rendered
    render(ctx, plain, {});
    // @ts-expect-error the contract must name every variable of the declared type
    defineAiFeature<{ a: string; b: string }>({ name: 'ab', description: 'x', contract: { a: variable.text }, defaultTemplate: [] });
    expect(true).toBe(true);
  });
});

describe('AiFeaturesModule', () => {
  const app = (...imports: unknown[]) => {
    @Module({ imports: imports as never[] })
    class AppModule {}
    return Test.createTestingModule({ imports: [AppModule] }).compile();
  };

  it("registers each context's features while the app is built, into one registry shared by every importer", async () => {
    const moduleRef = await app(AiFeaturesModule.register([summary]), AiFeaturesModule.register([answer, plain]), AiFeatureRegistryModule);
    expect(moduleRef.get(AiFeatureRegistry).names).toEqual(['answer', 'chat', 'summary', 'extraction', 'completion']);
  });

  it('stops the boot when two modules register the same feature', async () => {
    await expect(app(AiFeaturesModule.register([summary]), AiFeaturesModule.register([summary]))).rejects.toThrow(/AI feature "summary" is registered twice/);
    await expect(app(AiFeaturesModule.register([answer, summary]), AiFeaturesModule.register([plain, summary]))).rejects.toThrow(AiFeatureRegistrationError);
  });
});
