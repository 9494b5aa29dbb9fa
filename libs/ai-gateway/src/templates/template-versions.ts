import type { TemplatedAiFeature } from '../features/ai-feature';
import { DEFAULT_TEMPLATE_VERSION, type TemplateMessage } from './template-variables';

export type TemplateSource = 'default' | 'tenant';

/** Which template produced a prompt: usage rows and results carry it. */
export interface TemplateRef {
  /** The feature's name. */
  feature: string;
  version: number;
  source: TemplateSource;
}

/** One version of a feature's template as a tenant sees it. */
export interface TemplateVersion extends TemplateRef {
  messages: TemplateMessage[];
  createdAt: string | null;
  createdBy: string | null;
}

/** Version 1 of every history: the template the feature ships with. */
export const shippedDefault = (feature: TemplatedAiFeature): TemplateVersion => ({
  feature: feature.name,
  version: DEFAULT_TEMPLATE_VERSION,
  source: 'default',
  messages: [...feature.defaultTemplate],
  createdAt: null,
  createdBy: null,
});
