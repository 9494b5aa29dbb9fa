import type { PlanFeatureSwitch } from '@switchboard/platform';

/** Suggested summaries, replies and triage on a ticket. */
export const AI_ASSISTS: PlanFeatureSwitch = { key: 'ai_assists', label: 'AI assists', plural: true };
/** Email, Telegram, WhatsApp and web chat channels: creating one needs the plan; existing ones keep receiving after a downgrade, so no customer's message is lost. */
export const MESSAGING_CHANNELS: PlanFeatureSwitch = { key: 'channels', label: 'Messaging channels', plural: true };
