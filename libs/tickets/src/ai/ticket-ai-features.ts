import { defineAiFeature, variable, type Conversation, type TemplatePassage } from '@switchboard/ai-gateway';

/** The variables each ticket assist hands its prompt template (ADR 0009). */
export interface SummaryVariables {
  subject: string;
  conversation: Conversation;
}

export interface DraftVariables {
  subject: string;
  conversation: Conversation;
  passages: (TemplatePassage | string)[];
}

export interface TriageVariables {
  subject: string;
  conversation: Conversation;
  priorities: string[];
  tags: string[];
  /** 'yes' when the tenant has tags (a text, so a section over it shows once; `{{#tags}}` repeats per tag). */
  hasTags: string;
  /** The groups triage may route to, one per line (`- name: description`); empty when the tenant has none. */
  groups: string;
}

const PASSAGE_BLOCK = `Knowledge-base passages:
{{#passages}}
[{{n}}]{{#title}} {{title}}{{/title}}
{{text}}

{{/passages}}
{{^passages}}
(no passages were found)
{{/passages}}`;

/* The local offline provider reads the last user message as the ticket, so facts and the ask are kept in separate messages. */

export const summaryFeature = defineAiFeature<SummaryVariables>({
  name: 'summary',
  description: "A ticket's conversation summarised for the next agent",
  offline: 'summary',
  contract: { subject: variable.text, conversation: variable.conversation },
  defaultTemplate: [
    {
      role: 'system',
      content: `You summarise help-desk conversations for the agent who picks the ticket up next.
- Write 2 to 5 short bullet points: the customer's problem, what has been tried, answered or promised, and what is still open.
- End with one line that starts with "Next step:".
- Use only what the conversation states; do not speculate. Write in the language of the conversation.`,
    },
    { role: 'user', content: 'Subject: {{subject}}\n\nConversation, oldest first:\n{{conversation}}' },
  ],
});

export const draftFeature = defineAiFeature<DraftVariables>({
  name: 'draft',
  description: "A reply draft for a ticket, grounded in its public conversation and the help center's public articles",
  offline: 'draft',
  contract: { subject: variable.text, conversation: variable.conversation, passages: variable.passages },
  defaultTemplate: [
    {
      role: 'system',
      content: `You write reply drafts for help-desk agents; an agent reviews and edits every draft before it is sent.
- Reply to the customer's latest message, in the customer's language, friendly and professional, without filler.
- Ground the reply in the conversation and the knowledge-base passages only. Never invent facts, order details, dates, prices, policies or promises.
- Where the reply needs information you do not have, leave a short note in double angle brackets for the agent, such as <<confirm the delivery date>>.
- Do not cite passage numbers in the reply and do not add a subject line or a signature; the help desk adds them.`,
    },
    { role: 'user', content: PASSAGE_BLOCK },
    { role: 'user', content: 'Subject: {{subject}}\n\nConversation, oldest first:\n{{conversation}}\n\nWrite the reply draft.' },
  ],
});

export const triageFeature = defineAiFeature<TriageVariables>({
  name: 'triage',
  description: 'A priority, tags and group suggested for a ticket, as structured output',
  offline: 'triage',
  contract: { subject: variable.text, conversation: variable.conversation, priorities: variable.list, tags: variable.list, hasTags: variable.text, groups: variable.text },
  defaultTemplate: [
    {
      role: 'system',
      content: `You triage incoming help-desk tickets.
- Choose exactly one priority from (lowest first): {{priorities}}. Urgent means a service is down or there is danger; high means the customer is blocked.
{{#hasTags}}
- Choose up to five tags. Prefer the tags this help desk already uses: {{tags}}. Propose a new tag only when none fits.
{{/hasTags}}
{{^hasTags}}
- This help desk has no tags yet: propose up to five short lowercase tags (letters, digits, _, - or :), or none.
{{/hasTags}}
{{#groups}}
- Choose the group that should work the ticket, answering its name exactly as written, or null when none fits:
{{groups}}
{{/groups}}
- Decide from the ticket's content only; urgency words alone do not make a ticket urgent.
- Give each choice a confidence between 0 and 1 saying how sure you are; use a low confidence when the ticket says little.
- Answer with one JSON object: {"priority": {"value": "<one of the priorities>", "confidence": 0.0}, "tags": [{"value": "<tag>", "confidence": 0.0}]{{#groups}}, "group": {"value": "<group name or null>", "confidence": 0.0}{{/groups}}}.`,
    },
    { role: 'user', content: 'Subject: {{subject}}\n\n{{conversation}}' },
  ],
});

/** Registered by TicketsModule (`AiFeaturesModule.register`). */
export const TICKET_AI_FEATURES = [summaryFeature, draftFeature, triageFeature];
