import type { OfflineStyle } from '../chat/chat.port';
import type { FeatureContract, TemplateMessage, TemplateVariable } from '../templates/template-variables';

/**
 * One thing the AI gateway is called for, declared by the context that owns it (tickets' `summary`,
 * the knowledge base's `answer`, the gateway's own `extraction`) and registered with
 * `AiFeaturesModule.register([...])`. Its name is the wire name: tenants route it
 * (`PUT /v1/ai/settings` `features.<name>`), override its prompt (`/v1/ai/templates/<name>`),
 * and usage rows and budgets count it.
 */
export interface AiFeature {
  readonly name: string;
  /** One line for operators and API readers. */
  readonly description: string;
  /** How the offline `local` provider answers this feature's calls. */
  readonly offline: OfflineStyle | null;
  /** The variables its prompt template may use; null for a feature whose callers send the messages. */
  readonly contract: FeatureContract | null;
  /** The shipped prompt (version 1); null exactly when `contract` is. */
  readonly defaultTemplate: readonly TemplateMessage[] | null;
}

/** A feature whose prompt is a template rendered from variables of type `V`. */
export interface TemplatedAiFeature<V extends object = object> extends AiFeature {
  readonly contract: FeatureContract;
  readonly defaultTemplate: readonly TemplateMessage[];
  /** Type-level only: the variables `PromptTemplates.render` takes for this feature. */
  readonly variablesType: V;
}

export const isTemplated = (feature: AiFeature): feature is TemplatedAiFeature => feature.contract !== null;

/** Lower case, digits, `_` and `-`: it is a URL segment, a JSON key and a column value. */
const FEATURE_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

interface FeatureOptions {
  name: string;
  description: string;
  offline?: OfflineStyle;
}

/**
 * Declares a feature. With a prompt template:
 * `defineAiFeature<{ subject: string; conversation: Conversation }>({ name: 'summary', description, contract: { subject: variable.text, conversation: variable.conversation }, defaultTemplate: [...] })`
 * — the contract must name exactly the variables of `V`. Without one (callers send the messages):
 * `defineAiFeature({ name: 'completion', description })`.
 */
export function defineAiFeature<V extends object>(definition: FeatureOptions & { contract: { readonly [K in keyof V]-?: TemplateVariable }; defaultTemplate: readonly TemplateMessage[] }): TemplatedAiFeature<V>;
export function defineAiFeature(definition: FeatureOptions): AiFeature;
export function defineAiFeature(definition: FeatureOptions & { contract?: FeatureContract; defaultTemplate?: readonly TemplateMessage[] }): AiFeature {
  if (!FEATURE_NAME.test(definition.name)) throw new Error(`AI feature "${definition.name}": a name is 1–40 lower-case letters, digits, _ or -, starting with a letter`);
  if ((definition.contract === undefined) !== (definition.defaultTemplate === undefined)) throw new Error(`AI feature "${definition.name}": a contract and a default template come together`);
  return {
    name: definition.name,
    description: definition.description,
    offline: definition.offline ?? null,
    contract: definition.contract ? { ...definition.contract } : null,
    defaultTemplate: definition.defaultTemplate ?? null,
    ...(definition.contract ? { variablesType: undefined } : {}),
  };
}
