import { Module } from '@nestjs/common';
import { CHANNEL_PROVIDERS } from './channels/channels.providers';
import { SLA_PROVIDERS } from './sla/sla.providers';
import { TRIGGER_PROVIDERS } from './triggers/triggers.providers';
import { ASSIGNMENT_PROVIDERS } from './assignment/assignment.providers';
import { SlaEngine } from './sla/engine/sla-engine';
import { ChannelsRepository } from './channels/repositories/channels.repository';
import { DeleteTicketHandler } from './commands/delete-ticket/delete-ticket.handler';
import { ExportContactTicketsHandler } from './queries/export-contact-tickets/export-contact-tickets.handler';
import { GetTicketDeletionHandler } from './queries/get-ticket-deletion/get-ticket-deletion.handler';
import { TicketDeletionRepository } from './repositories/deletion.repository';
import { TimelinesRepository } from './repositories/timelines.repository';
import { TicketTimelinesHandler } from './queries/ticket-timelines/ticket-timelines.handler';
import { AiChatModule, AiFeaturesModule } from '@switchboard/ai-gateway';
import { CustomersModule } from '@switchboard/customers';
import { KnowledgeBaseModule } from '@switchboard/knowledge-base';
import { TenancyModule } from '@switchboard/tenancy';
import { TICKET_AI_FEATURES } from './ai/ticket-ai-features';
import { AcceptSuggestionHandler } from './commands/accept-suggestion/accept-suggestion.handler';
import { DraftReplyHandler } from './commands/draft-reply/draft-reply.handler';
import { RejectSuggestionHandler } from './commands/reject-suggestion/reject-suggestion.handler';
import { SummarizeTicketHandler } from './commands/summarize-ticket/summarize-ticket.handler';
import { TriageTicketHandler } from './commands/triage-ticket/triage-ticket.handler';
import { GetSuggestionHandler, ListSuggestionsHandler } from './queries/list-suggestions/list-suggestions.handler';
import { SuggestionStatsHandler } from './queries/suggestion-stats/suggestion-stats.handler';
import { AddAttachmentHandler } from './commands/add-attachment/add-attachment.handler';
import { GetAttachmentHandler, ListAttachmentsHandler } from './queries/list-attachments/list-attachments.handler';
import { AddMessageHandler } from './commands/add-message/add-message.handler';
import { BulkUpdateTicketsHandler } from './commands/bulk-update-tickets/bulk-update-tickets.handler';
import { ChangeParticipantsHandler } from './commands/change-participants/change-participants.handler';
import { ListParticipantsHandler } from './queries/list-participants/list-participants.handler';
import { CreateTicketHandler } from './commands/create-ticket/create-ticket.handler';
import { UpdateTicketHandler } from './commands/update-ticket/update-ticket.handler';
import { ExportTicketsHandler } from './queries/export-tickets/export-tickets.handler';
import { GetTicketHandler } from './queries/get-ticket/get-ticket.handler';
import { GetStorageUsageHandler } from './queries/get-storage-usage/get-storage-usage.handler';
import { GetStorageByTypeHandler } from './queries/get-storage-by-type/get-storage-by-type.handler';
import { ListHistoryHandler } from './queries/list-history/list-history.handler';
import { ListMessagesHandler } from './queries/list-messages/list-messages.handler';
import { ListTicketsHandler } from './queries/list-tickets/list-tickets.handler';
import { AttachmentsRepository } from './repositories/attachments.repository';
import { MessagesRepository } from './repositories/messages.repository';
import { ParticipantsRepository } from './repositories/participants.repository';
import { SuggestionsRepository } from './repositories/suggestions.repository';
import { TicketsRepository } from './repositories/tickets.repository';
import { GroupsRepository } from './repositories/groups.repository';
import { TimeRepository } from './repositories/time.repository';
import { ChecklistsRepository } from './repositories/checklists.repository';
import { ExternalLinksRepository } from './repositories/external-links.repository';
import { ManageChecklistTemplateHandler } from './commands/manage-checklist-template/manage-checklist-template.handler';
import { AddChecklistHandler } from './commands/add-checklist/add-checklist.handler';
import { ChangeChecklistHandler } from './commands/change-checklist/change-checklist.handler';
import { UpsertExternalLinkHandler } from './commands/upsert-external-link/upsert-external-link.handler';
import { ListChecklistsHandler, ListChecklistTemplatesHandler } from './queries/list-checklists/list-checklists.handler';
import { ListExternalLinksHandler } from './queries/list-external-links/list-external-links.handler';
import { ScimSaveGroupHandler } from './commands/scim-save-group/scim-save-group.handler';
import { ScimListGroupsHandler } from './queries/scim-list-groups/scim-list-groups.handler';
import { LogTimeHandler } from './commands/log-time/log-time.handler';
import { ChangeTimeEntryHandler } from './commands/change-time-entry/change-time-entry.handler';
import { StartTimerHandler } from './commands/start-timer/start-timer.handler';
import { StopTimerHandler } from './commands/stop-timer/stop-timer.handler';
import { ListTimeEntriesHandler } from './queries/list-time-entries/list-time-entries.handler';
import { GetTimerHandler } from './queries/get-timer/get-timer.handler';
import { TimeTotalsHandler } from './queries/time-totals/time-totals.handler';
import { CreateGroupHandler } from './commands/create-group/create-group.handler';
import { UpdateGroupHandler } from './commands/update-group/update-group.handler';
import { DeleteGroupHandler } from './commands/delete-group/delete-group.handler';
import { ChangeGroupMembershipHandler } from './commands/change-group-membership/change-group-membership.handler';
import { ListGroupsHandler } from './queries/list-groups/list-groups.handler';
import { GetGroupHandler } from './queries/get-group/get-group.handler';
import { GroupNamesHandler } from './queries/group-names/group-names.handler';
import { CsatRepository } from './repositories/csat.repository';
import { CsatSigner } from './domain/csat-signer';
import { RateTicketHandler } from './commands/rate-ticket/rate-ticket.handler';
import { GetCsatSurveyHandler } from './queries/get-csat-survey/get-csat-survey.handler';
import { GetTicketCsatHandler } from './queries/get-ticket-csat/get-ticket-csat.handler';
import { ListCsatHandler } from './queries/list-csat/list-csat.handler';
import { ViewsRepository } from './repositories/views.repository';
import { StatusesRepository } from './repositories/statuses.repository';
import { SaveStatusHandler } from './commands/save-status/save-status.handler';
import { DeleteStatusHandler } from './commands/delete-status/delete-status.handler';
import { ListStatusesHandler } from './queries/list-statuses/list-statuses.handler';
import { SaveViewHandler } from './commands/save-view/save-view.handler';
import { DeleteViewHandler } from './commands/delete-view/delete-view.handler';
import { ListViewsHandler } from './queries/list-views/list-views.handler';
import { ListViewTicketsHandler } from './queries/list-view-tickets/list-view-tickets.handler';
import { CountViewsHandler } from './queries/count-views/count-views.handler';
import { ListGroupMembersHandler } from './queries/list-group-members/list-group-members.handler';
import { MacrosRepository } from './repositories/macros.repository';
import { MergesRepository } from './repositories/merges.repository';
import { ManageMacroHandler } from './commands/manage-macro/manage-macro.handler';
import { ApplyMacroHandler } from './commands/apply-macro/apply-macro.handler';
import { BulkApplyMacroHandler } from './commands/bulk-apply-macro/bulk-apply-macro.handler';
import { MergeTicketsHandler } from './commands/merge-tickets/merge-tickets.handler';
import { GetMacroHandler, ListMacrosHandler } from './queries/list-macros/list-macros.handler';
import { PreviewMacroHandler } from './queries/preview-macro/preview-macro.handler';
import { CustomFieldsRepository } from './repositories/custom-fields.repository';
import { ManageTicketFieldHandler } from './commands/manage-ticket-field/manage-ticket-field.handler';
import { ManageTicketFormHandler } from './commands/manage-ticket-form/manage-ticket-form.handler';
import { GetTicketFieldHandler, GetTicketFormHandler, ListTicketFieldsHandler, ListTicketFormsHandler } from './queries/list-ticket-fields/list-ticket-fields.handler';

const REPOSITORIES = [TicketsRepository, MessagesRepository, AttachmentsRepository, ParticipantsRepository, SuggestionsRepository, GroupsRepository, TimeRepository, ChecklistsRepository, ExternalLinksRepository];
const TIME_TRACKING = [LogTimeHandler, ChangeTimeEntryHandler, StartTimerHandler, StopTimerHandler, ListTimeEntriesHandler, GetTimerHandler, TimeTotalsHandler];
const CHECKLISTS_AND_LINKS = [ManageChecklistTemplateHandler, AddChecklistHandler, ChangeChecklistHandler, UpsertExternalLinkHandler, ListChecklistsHandler, ListChecklistTemplatesHandler, ListExternalLinksHandler];
const STATUSES = [StatusesRepository, SaveStatusHandler, DeleteStatusHandler, ListStatusesHandler];
const VIEWS = [ViewsRepository, SaveViewHandler, DeleteViewHandler, ListViewsHandler, ListViewTicketsHandler, CountViewsHandler];
const GROUPS = [ScimSaveGroupHandler, ScimListGroupsHandler, CreateGroupHandler, UpdateGroupHandler, DeleteGroupHandler, ChangeGroupMembershipHandler, ListGroupsHandler, GetGroupHandler, GroupNamesHandler, ListGroupMembersHandler];
const CSAT = [CsatRepository, CsatSigner, RateTicketHandler, GetCsatSurveyHandler, GetTicketCsatHandler, ListCsatHandler];
const MACROS_AND_MERGE = [MacrosRepository, MergesRepository, ManageMacroHandler, ApplyMacroHandler, BulkApplyMacroHandler, PreviewMacroHandler, ListMacrosHandler, GetMacroHandler, MergeTicketsHandler];
const CUSTOM_FIELDS = [CustomFieldsRepository, ManageTicketFieldHandler, ManageTicketFormHandler, ListTicketFieldsHandler, GetTicketFieldHandler, ListTicketFormsHandler, GetTicketFormHandler];
const AI_ASSISTS = [SummarizeTicketHandler, DraftReplyHandler, TriageTicketHandler, AcceptSuggestionHandler, RejectSuggestionHandler, ListSuggestionsHandler, GetSuggestionHandler, SuggestionStatsHandler];

/**
 * Tickets, their conversation and history, and AI suggestions on them. It imports the modules
 * whose handlers its own send commands and queries to, so any process that loads it (api, worker)
 * can run them: customers (requesters, CCs: FindOrCreateContactCommand, GetContactQuery), tenancy
 * (assignees, followers: GetMemberRoleQuery), knowledge-base (a draft's passages:
 * SearchArticlesQuery, GetChunksQuery) and the AI gateway's chat (AiGateway, PromptTemplates).
 * tickets.module.spec.ts checks that every one of them resolves.
 */
@Module({
  imports: [AiChatModule, AiFeaturesModule.register(TICKET_AI_FEATURES), CustomersModule, TenancyModule, KnowledgeBaseModule],
  providers: [
    ...REPOSITORIES,
    ...AI_ASSISTS,
    ...GROUPS,
    ...VIEWS,
    ...STATUSES,
    ...TIME_TRACKING,
    ...CHECKLISTS_AND_LINKS,
    ...CSAT,
    ...MACROS_AND_MERGE,
    ...CUSTOM_FIELDS,
    ...CHANNEL_PROVIDERS,
    ...SLA_PROVIDERS,
    ...TRIGGER_PROVIDERS,
    ...ASSIGNMENT_PROVIDERS,
    TicketDeletionRepository,
    TimelinesRepository,
    TicketTimelinesHandler,
    DeleteTicketHandler,
    GetTicketDeletionHandler,
    ExportContactTicketsHandler,
    ChangeParticipantsHandler,
    ListParticipantsHandler,
    AddAttachmentHandler,
    ListAttachmentsHandler,
    GetAttachmentHandler,
    CreateTicketHandler,
    BulkUpdateTicketsHandler,
    ExportTicketsHandler,
    UpdateTicketHandler,
    AddMessageHandler,
    GetTicketHandler,
    GetStorageUsageHandler,
    GetStorageByTypeHandler,
    ListTicketsHandler,
    ListMessagesHandler,
    ListHistoryHandler,
  ],
  // The worker's jobs work on tickets, messages, group memberships, channels and satisfaction surveys.
  exports: [TicketsRepository, MessagesRepository, TicketDeletionRepository, GroupsRepository, ChannelsRepository, CsatRepository, CsatSigner, SlaEngine],
})
export class TicketsModule {}
