export { TicketsModule } from './tickets.module';
export { TicketsHttpModule } from './tickets-http.module';
export { TicketsWorkerModule } from './tickets-worker.module';
export { GetTicketQuery } from './queries/get-ticket/get-ticket.query';
export type { TicketView } from './repositories/tickets.sql';
