import { Module, type DynamicModule } from '@nestjs/common';
import type { AiFeature } from './ai-feature';
import { AiFeatureRegistry } from './ai-feature-registry';

/** The process's one feature registry (a static module, so every importer shares it). */
@Module({ providers: [{ provide: AiFeatureRegistry, useFactory: () => new AiFeatureRegistry() }], exports: [AiFeatureRegistry] })
export class AiFeatureRegistryModule {}

/**
 * How a context registers the AI features it owns, next to the module whose handlers use them:
 * `imports: [AiChatModule, AiFeaturesModule.register([summaryFeature, draftFeature])]`. The
 * features join the registry while the app's modules are instantiated, before anything serves;
 * a name registered twice stops the boot.
 */
@Module({})
export class AiFeaturesModule {
  static register(features: readonly AiFeature[]): DynamicModule {
    return {
      module: AiFeaturesModule,
      imports: [AiFeatureRegistryModule],
      // Nobody injects this provider: building it is the registration.
      providers: [{ provide: Symbol(`ai-features:${features.map((f) => f.name).join(',')}`), useFactory: (registry: AiFeatureRegistry) => (registry.register(features), features), inject: [AiFeatureRegistry] }],
    };
  }
}
