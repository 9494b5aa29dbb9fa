import { jest } from '@jest/globals';
import type { AiGateway, GatewayResult, PromptTemplates } from '@switchboard/ai-gateway';
import { ProblemException } from '@switchboard/platform';
import { FakeTenantTransaction, testContext } from '@switchboard/platform/testing';
import type { LeadView } from '../../repositories/leads.sql';
import { aLead, fakeLeads } from '../../testing/lead-fakes';
import { SuggestLeadCommand } from './suggest-lead.command';
import { SuggestLeadHandler } from './suggest-lead.handler';

const result = (text: string, extractive = false): GatewayResult => ({
  text,
  model: 'gpt-test',
  usage: { promptTokens: 10, completionTokens: 5 },
  finishReason: 'stop',
  extractive,
  provider: 'oa',
  warning: null,
  attempts: 1,
  usageId: 'u1',
});

function setup(answers: (string | Error)[], lead: LeadView | null = aLead({ notes: 'Ada Lovelace wants a Boiler check, ada@example.com' })) {
  const tx = new FakeTenantTransaction();
  const fakes = fakeLeads(lead);
  const insideTransaction: boolean[] = [];
  let turn = 0;
  const gateway = {
    structured: jest.fn(async () => {
      insideTransaction.push(tx.current() !== undefined);
      const next = answers[Math.min(turn++, answers.length - 1)]!;
      if (next instanceof Error) throw next;
      return result(next);
    }),
  };
  const templates = { render: jest.fn(async () => ({ messages: [{ role: 'user', content: 'notes' }], template: { feature: 'x', version: 1, source: 'default' } })) };
  const handler = new SuggestLeadHandler(tx.asTenantTransaction(), gateway as unknown as AiGateway, templates as unknown as PromptTemplates, fakes.as.leads, fakes.as.services);
  return { tx, fakes, gateway, templates, insideTransaction, suggest: () => handler.execute(new SuggestLeadCommand(testContext(), 'l1')) };
}

describe('SuggestLeadHandler', () => {
  it('calls the model outside any transaction and stores its answer as suggestions, the service mapped to the catalog', async () => {
    const { fakes, templates, insideTransaction, suggest } = setup([JSON.stringify({ name: 'Ada Lovelace', email: 'ada@example.com', city: 'London', service: 'Boiler check', confidence: { name: 0.81234 } })]);
    const saved = await suggest();
    expect(insideTransaction).toEqual([false]);
    expect(templates.render).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ name: 'field_service_lead_extraction' }), { notes: 'Ada Lovelace wants a Boiler check, ada@example.com', services: ['Boiler check'] });
    expect(saved.suggestions).toEqual([
      { field: 'name', value: 'Ada Lovelace', confidence: 0.812 },
      { field: 'email', value: 'ada@example.com', confidence: 0.95 },
      { field: 'city', value: 'London', confidence: 0.4 },
      { field: 'service', value: 'Boiler check', confidence: 0.95, serviceId: 's1' },
    ]);
    expect(saved.extraction).toEqual({ status: 'ok', detail: null, provider: 'oa', model: 'gpt-test' });
    expect(fakes.leads.convert).not.toHaveBeenCalled();
  });

  it('stores no suggestions and says why when the provider is unavailable or answers out of schema twice', async () => {
    const down = setup([new ProblemException({ status: 503, type: 'ai-provider-unavailable', title: 'Service Unavailable', detail: 'The provider is down.' })]);
    expect((await down.suggest()).extraction).toMatchObject({ status: 'unavailable', detail: 'The provider is down. Fill the lead in by hand.', provider: null });
    expect(down.fakes.leads.saveSuggestions).toHaveBeenCalledWith(expect.anything(), 'l1', [], expect.objectContaining({ status: 'unavailable' }));

    const invalid = setup(['{"name": 42}', 'not json']);
    const saved = await invalid.suggest();
    expect(saved.extraction).toMatchObject({ status: 'invalid', provider: 'oa' });
    expect(saved.suggestions).toEqual([]);
    expect(invalid.gateway.structured).toHaveBeenCalledTimes(2);
  });

  it('refuses a converted lead before calling the model, and a missing one with 404', async () => {
    const converted = setup(['{}'], aLead({ status: 'converted' }));
    await expect(converted.suggest()).rejects.toMatchObject({ problem: { status: 409, type: 'lead-converted' } });
    expect(converted.gateway.structured).not.toHaveBeenCalled();
    await expect(setup(['{}'], null).suggest()).rejects.toMatchObject({ problem: { status: 404 } });
  });
});
