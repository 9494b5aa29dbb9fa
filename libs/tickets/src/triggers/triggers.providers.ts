import { ManageRuleHandler } from './commands/manage-rule/manage-rule.handler';
import { ReorderRulesHandler } from './commands/reorder-rules/reorder-rules.handler';
import { RunAutomationsHandler } from './commands/run-automations/run-automations.handler';
import { AutomationsController, TriggersController } from './http/rules.controller';
import { DryRunTriggersHandler } from './queries/dry-run-triggers/dry-run-triggers.handler';
import { ListRulesHandler } from './queries/list-rules/list-rules.handler';
import { RulesRepository } from './repositories/rules.repository';
import { TICKET_TRIGGERS } from './ticket-triggers';
import { TriggerEngine } from './trigger-engine';
import { RunAutomationsJob } from './worker/run-automations.job';

/** The triggers and automations sub-area's providers and controllers, listed by the tickets modules. */
export const TRIGGER_PROVIDERS = [RulesRepository, TriggerEngine, { provide: TICKET_TRIGGERS, useExisting: TriggerEngine }, ManageRuleHandler, ReorderRulesHandler, RunAutomationsHandler, ListRulesHandler, DryRunTriggersHandler];
export const TRIGGER_CONTROLLERS = [TriggersController, AutomationsController];
export const TRIGGER_WORKER_PROVIDERS = [RunAutomationsJob];
