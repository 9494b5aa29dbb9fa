import { ChannelSecretsService } from './adapters/channel-secrets.service';
import { ChatClients } from './adapters/chat-clients';
import { ChannelMetrics } from './channel-metrics';
import { AcceptChatInboundHandler } from './commands/accept-chat-inbound/accept-chat-inbound.handler';
import { AcceptWhatsAppWebhookHandler } from './commands/accept-whatsapp-webhook/accept-whatsapp-webhook.handler';
import { VerifyWebhookSubscriptionHandler } from './queries/verify-webhook-subscription/verify-webhook-subscription.handler';
import { SendWhatsAppTemplateHandler } from './commands/send-whatsapp-template/send-whatsapp-template.handler';
import { ChatTemplatesController } from './http/chat-templates.controller';
import { FormSigner } from './adapters/form-signer.service';
import { DeleteMessageTemplateHandler } from './commands/delete-message-template/delete-message-template.handler';
import { SaveContactFormSettingsHandler } from './commands/save-contact-form-settings/save-contact-form-settings.handler';
import { SaveMessageTemplateHandler } from './commands/save-message-template/save-message-template.handler';
import { SubmitContactFormHandler } from './commands/submit-contact-form/submit-contact-form.handler';
import { ContactFormController } from './http/contact-form.controller';
import { MessageTemplatesController } from './http/message-templates.controller';
import { GetContactFormSettingsHandler } from './queries/get-contact-form/get-contact-form-settings.handler';
import { GetContactFormHandler } from './queries/get-contact-form/get-contact-form.handler';
import { GetUiStringsHandler } from './queries/get-ui-strings/get-ui-strings.handler';
import { ListMessageTemplatesHandler } from './queries/list-message-templates/list-message-templates.handler';
import { PreviewMessageTemplateHandler } from './queries/preview-message-template/preview-message-template.handler';
import { ContactFormRepository } from './repositories/contact-form.repository';
import { MessageTemplatesRepository } from './repositories/message-templates.repository';
import { AcceptInboundHandler } from './commands/accept-inbound/accept-inbound.handler';
import { CreateChannelHandler } from './commands/create-channel/create-channel.handler';
import { DeliverMessageHandler } from './commands/deliver-message/deliver-message.handler';
import { ProcessInboundHandler } from './commands/process-inbound/process-inbound.handler';
import { RetryDeliveryHandler } from './commands/retry-delivery/retry-delivery.handler';
import { UpdateChannelHandler } from './commands/update-channel/update-channel.handler';
import { ChannelsController } from './http/channels.controller';
import { InboundWebhookController } from './http/inbound-webhook.controller';
import { SmtpListenerService } from './http/smtp-listener.service';
import { GetInboundRawHandler } from './queries/get-inbound-raw/get-inbound-raw.handler';
import { GetChannelHandler, ListChannelsHandler } from './queries/list-channels/list-channels.handler';
import { ListDeliveriesHandler } from './queries/list-deliveries/list-deliveries.handler';
import { ListInboundHandler } from './queries/list-inbound/list-inbound.handler';
import { ChannelsRepository } from './repositories/channels.repository';
import { ChannelDeliveryProcessor, ChannelInboundProcessor } from './worker/channel-queues.processor';
import { DeliverMessageJob, ProcessInboundJob, SweepChannelsJob } from './worker/channel-jobs';
import { QueueReplyDeliveryJob } from './worker/queue-reply-delivery.job';
import { VisitorAccess } from './adapters/visitor-access.service';
import { VisitorPush } from './adapters/visitor-push.service';
import { PostVisitorMessageHandler } from './commands/post-visitor-message/post-visitor-message.handler';
import { StartVisitorSessionHandler } from './commands/start-visitor-session/start-visitor-session.handler';
import { WidgetController } from './http/widget.controller';
import { AuthenticateVisitorHandler } from './queries/authenticate-visitor/authenticate-visitor.handler';
import { GetVisitorConversationHandler } from './queries/get-visitor-conversation/get-visitor-conversation.handler';
import { GetWidgetConfigHandler } from './queries/get-widget-config/get-widget-config.handler';
import { WidgetSessionsRepository } from './repositories/widget-sessions.repository';

/**
 * The channels sub-area's providers, listed by the tickets modules (one list per process role so
 * the tickets modules stay the only Nest modules of the context).
 */
export const CHANNEL_PROVIDERS = [
  ChannelsRepository,
  ChannelSecretsService,
  ChatClients,
  ChannelMetrics,
  CreateChannelHandler,
  AcceptChatInboundHandler,
  AcceptWhatsAppWebhookHandler,
  SendWhatsAppTemplateHandler,
  ContactFormRepository,
  MessageTemplatesRepository,
  FormSigner,
  SubmitContactFormHandler,
  SaveContactFormSettingsHandler,
  GetContactFormHandler,
  GetContactFormSettingsHandler,
  SaveMessageTemplateHandler,
  DeleteMessageTemplateHandler,
  ListMessageTemplatesHandler,
  PreviewMessageTemplateHandler,
  GetUiStringsHandler,
  VerifyWebhookSubscriptionHandler,
  UpdateChannelHandler,
  AcceptInboundHandler,
  ProcessInboundHandler,
  DeliverMessageHandler,
  RetryDeliveryHandler,
  ListChannelsHandler,
  GetChannelHandler,
  ListDeliveriesHandler,
  ListInboundHandler,
  GetInboundRawHandler,
  WidgetSessionsRepository,
  VisitorAccess,
  VisitorPush,
  StartVisitorSessionHandler,
  PostVisitorMessageHandler,
  GetWidgetConfigHandler,
  GetVisitorConversationHandler,
  AuthenticateVisitorHandler,
];
export const CHANNEL_CONTROLLERS = [ChannelsController, InboundWebhookController, ChatTemplatesController, ContactFormController, MessageTemplatesController, WidgetController];
/** The api's SMTP listener (only when CHANNELS_SMTP_LISTEN_PORT is set). */
export const CHANNEL_HTTP_PROVIDERS = [SmtpListenerService];
export const CHANNEL_WORKER_PROVIDERS = [ChannelInboundProcessor, ChannelDeliveryProcessor, ProcessInboundJob, DeliverMessageJob, SweepChannelsJob, QueueReplyDeliveryJob];
