import { ProblemException } from '@switchboard/platform';
import { compileTemplate, type CompiledTemplate } from '../templates/compiled-template';
import { isTemplated, type AiFeature, type TemplatedAiFeature } from './ai-feature';
import { GATEWAY_AI_FEATURES } from './gateway-features';

export class AiFeatureRegistrationError extends Error {
  override readonly name = 'AiFeatureRegistrationError';
}

interface Entry {
  feature: AiFeature;
  /** One of the gateway's own features (listed after the contexts'). */
  own: boolean;
  /** The shipped template, compiled once when registered. */
  compiledDefault: CompiledTemplate | null;
}

/**
 * The AI features of this process: the gateway's own, and those the contexts registered
 * (`AiFeaturesModule.register`). Registration happens while the app's modules are built, so a
 * feature registered twice — or whose default template does not fit its contract — stops the
 * boot. Everything keyed by a feature's name (routes, template overrides, usage rows) looks it up
 * here; a caller that uses a definition nobody registered fails on its first call.
 */
export class AiFeatureRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(own: readonly AiFeature[] = GATEWAY_AI_FEATURES) {
    this.add(own, true);
  }

  /** A context's features. A name that is already registered, by anyone, is refused. */
  register(features: readonly AiFeature[]): void {
    this.add(features, false);
  }

  /** The caller's feature, once checked to be the registered definition of its name. */
  resolve<F extends AiFeature>(feature: F): F {
    const entry = this.entries.get(feature.name);
    if (!entry) throw new AiFeatureRegistrationError(`AI feature "${feature.name}" is used but not registered: the context that owns it lists it in AiFeaturesModule.register([...])`);
    if (entry.feature !== feature) throw new AiFeatureRegistrationError(`AI feature "${feature.name}" is used with a definition other than the registered one`);
    return feature;
  }

  /** The feature registered under a (wire) name, if any. */
  find(name: string): AiFeature | undefined {
    return this.entries.get(name)?.feature;
  }

  /** The feature with a prompt template registered under a name, if any. */
  findTemplated(name: string): TemplatedAiFeature | undefined {
    const feature = this.find(name);
    return feature && isTemplated(feature) ? feature : undefined;
  }

  /** Every feature: the contexts' by name, then the gateway's own (stable, whatever order the modules were built in). */
  get features(): AiFeature[] {
    const entries = [...this.entries.values()];
    const theirs = entries.filter((e) => !e.own).sort((a, b) => (a.feature.name < b.feature.name ? -1 : 1));
    return [...theirs, ...entries.filter((e) => e.own)].map((e) => e.feature);
  }

  get names(): string[] {
    return this.features.map((f) => f.name);
  }

  /** The features whose prompts are templates, in the same order. */
  get templated(): TemplatedAiFeature[] {
    return this.features.filter(isTemplated);
  }

  /** A registered feature's shipped template, compiled. */
  compiledDefault(feature: TemplatedAiFeature): CompiledTemplate {
    return this.entries.get(this.resolve(feature).name)!.compiledDefault!;
  }

  private add(features: readonly AiFeature[], own: boolean): void {
    for (const feature of features) {
      if (this.entries.has(feature.name)) throw new AiFeatureRegistrationError(`AI feature "${feature.name}" is registered twice`);
      let compiledDefault: CompiledTemplate | null = null;
      if (isTemplated(feature)) {
        try {
          compiledDefault = compileTemplate(feature, feature.defaultTemplate);
        } catch (error) {
          throw new AiFeatureRegistrationError(`AI feature "${feature.name}": ${error instanceof ProblemException ? error.problem.detail : String(error)}`);
        }
      }
      this.entries.set(feature.name, { feature, own, compiledDefault });
    }
  }
}
