import { Module } from '@nestjs/common';
import { FieldServiceErasureRepository } from './repositories/erasure.repository';
import { ExportContactFieldServiceHandler } from './queries/export-contact-field-service/export-contact-field-service.handler';
import { AiChatModule, AiFeaturesModule } from '@switchboard/ai-gateway';
import { CustomersModule } from '@switchboard/customers';
import { TenancyModule } from '@switchboard/tenancy';
import { TicketsModule } from '@switchboard/tickets';
import { FIELD_SERVICE_AI_FEATURES } from './ai/close-out-extraction.feature';
import { FinalizeCloseOutHandler } from './commands/finalize-close-out/finalize-close-out.handler';
import { InitiateCloseOutHandler } from './commands/initiate-close-out/initiate-close-out.handler';
import { GetCloseOutHandler } from './queries/get-close-out/get-close-out.handler';
import { CloseOutsRepository } from './repositories/close-outs.repository';
import { CaptureLeadHandler } from './commands/capture-lead/capture-lead.handler';
import { ConvertLeadHandler } from './commands/convert-lead/convert-lead.handler';
import { DismissLeadHandler } from './commands/dismiss-lead/dismiss-lead.handler';
import { SuggestLeadHandler } from './commands/suggest-lead/suggest-lead.handler';
import { GetLeadHandler } from './queries/get-lead/get-lead.handler';
import { ListLeadsHandler } from './queries/list-leads/list-leads.handler';
import { LeadsRepository } from './repositories/leads.repository';
import { AddLineItemHandler } from './commands/add-line-item/add-line-item.handler';
import { AddNoteHandler } from './commands/add-note/add-note.handler';
import { AssignVisitHandler } from './commands/assign-visit/assign-visit.handler';
import { CancelVisitHandler } from './commands/cancel-visit/cancel-visit.handler';
import { ClockVisitHandler } from './commands/clock-visit/clock-visit.handler';
import { CloseJobHandler } from './commands/close-job/close-job.handler';
import { CreateJobHandler } from './commands/create-job/create-job.handler';
import { CreateServiceHandler } from './commands/create-service/create-service.handler';
import { DeleteServiceHandler } from './commands/delete-service/delete-service.handler';
import { RemoveLineItemHandler } from './commands/remove-line-item/remove-line-item.handler';
import { RescheduleVisitHandler } from './commands/reschedule-visit/reschedule-visit.handler';
import { ScheduleVisitHandler } from './commands/schedule-visit/schedule-visit.handler';
import { UpdateServiceHandler } from './commands/update-service/update-service.handler';
import { DispatchBoardHandler } from './queries/dispatch-board/dispatch-board.handler';
import { GetJobHandler } from './queries/get-job/get-job.handler';
import { GetServiceHandler } from './queries/get-service/get-service.handler';
import { ListJobHistoryHandler } from './queries/list-job-history/list-job-history.handler';
import { ListJobsHandler } from './queries/list-jobs/list-jobs.handler';
import { ListServicesHandler } from './queries/list-services/list-services.handler';
import { JobDetailReader } from './repositories/job-detail.reader';
import { JobsRepository } from './repositories/jobs.repository';
import { LineItemsRepository } from './repositories/line-items.repository';
import { ServicesRepository } from './repositories/services.repository';
import { VisitsRepository } from './repositories/visits.repository';
import { AvailabilityRepository } from './repositories/availability.repository';
import { SetWorkingHoursHandler } from './commands/set-working-hours/set-working-hours.handler';
import { AddUnavailabilityHandler } from './commands/add-unavailability/add-unavailability.handler';
import { RemoveUnavailabilityHandler } from './commands/remove-unavailability/remove-unavailability.handler';
import { GetAvailabilityHandler } from './queries/get-availability/get-availability.handler';
import { CancelMessageHandler } from './commands/cancel-message/cancel-message.handler';
import { UpdateMessageSettingsHandler } from './commands/update-message-settings/update-message-settings.handler';
import { GetMessageSettingsHandler } from './queries/get-message-settings/get-message-settings.handler';
import { ListJobMessagesHandler } from './queries/list-job-messages/list-job-messages.handler';
import { MessagesRepository } from './repositories/messages.repository';

/**
 * Service catalog, jobs, visits, time on site, line items and notes. Contacts and addresses are
 * checked through the customers context, technicians through tenancy, linked tickets through
 * tickets: their modules answer those queries. Close-out attributes are read from the notes through
 * the AI gateway and stored on contacts through the customers context; so are leads' fields,
 * which become contacts, addresses and jobs through the customers context and create-job.
 */
@Module({
  imports: [AiChatModule, AiFeaturesModule.register(FIELD_SERVICE_AI_FEATURES), CustomersModule, TenancyModule, TicketsModule],
  providers: [
    FieldServiceErasureRepository,
    ExportContactFieldServiceHandler,
    ServicesRepository,
    JobsRepository,
    VisitsRepository,
    LineItemsRepository,
    JobDetailReader,
    CloseOutsRepository,
    LeadsRepository,
    CaptureLeadHandler,
    SuggestLeadHandler,
    ConvertLeadHandler,
    DismissLeadHandler,
    GetLeadHandler,
    ListLeadsHandler,
    InitiateCloseOutHandler,
    FinalizeCloseOutHandler,
    GetCloseOutHandler,
    CreateServiceHandler,
    UpdateServiceHandler,
    DeleteServiceHandler,
    CreateJobHandler,
    ScheduleVisitHandler,
    RescheduleVisitHandler,
    AssignVisitHandler,
    CancelVisitHandler,
    ClockVisitHandler,
    AddLineItemHandler,
    RemoveLineItemHandler,
    AddNoteHandler,
    CloseJobHandler,
    ListServicesHandler,
    GetServiceHandler,
    ListJobsHandler,
    GetJobHandler,
    ListJobHistoryHandler,
    DispatchBoardHandler,
    AvailabilityRepository,
    SetWorkingHoursHandler,
    AddUnavailabilityHandler,
    RemoveUnavailabilityHandler,
    GetAvailabilityHandler,
    MessagesRepository,
    CancelMessageHandler,
    UpdateMessageSettingsHandler,
    GetMessageSettingsHandler,
    ListJobMessagesHandler,
  ],
  // The worker module's message planner and sender work on the same tables.
  exports: [JobsRepository, VisitsRepository, MessagesRepository, FieldServiceErasureRepository],
})
export class FieldServiceModule {}
