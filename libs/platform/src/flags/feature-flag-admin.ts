import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ContextRegistry } from '../registry/context-registry';
import { FeatureFlags } from './feature-flags';
import { undeclaredFlag } from './commands/save-feature-flag/save-feature-flag.handler';
import { evaluateFlag, type FeatureFlagDefinition, type FlagEvaluation, type FlagRule, type FlagSubject } from './feature-flag';
import { allFlagRules } from './feature-flags.sql';

export interface FeatureFlagView {
  name: string;
  description: string;
  default: boolean;
  context: string;
  rule: (Omit<FlagRule, 'name'> & { expired: boolean }) | null;
}

/** Operators' reads: the declared flags with their rules, read fresh (never from a process's snapshot). */
@Injectable()
export class FeatureFlagAdmin {
  constructor(
    private readonly registry: ContextRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly flags: FeatureFlags,
  ) {}

  async list(now = new Date()): Promise<FeatureFlagView[]> {
    const rules = new Map((await allFlagRules(this.dataSource)).map((r) => [r.name, r]));
    return this.registry.featureFlags.map((f) => view(f, rules.get(f.name), now)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string, now = new Date()): Promise<FeatureFlagView> {
    const definition = this.declared(name);
    const rule = (await allFlagRules(this.dataSource)).find((r) => r.name === name);
    return view(definition, rule, now);
  }

  async evaluate(name: string, subject: FlagSubject, now = new Date()): Promise<FlagEvaluation> {
    const definition = this.declared(name);
    const rule = (await allFlagRules(this.dataSource)).find((r) => r.name === name);
    return evaluateFlag(definition, rule, rule?.kind === 'plan' ? await this.flags.withPlan(subject) : subject, now);
  }

  private declared(name: string): FeatureFlagDefinition {
    const definition = this.registry.featureFlag(name);
    if (!definition) throw undeclaredFlag(name);
    return definition;
  }
}

function view(definition: FeatureFlagDefinition, rule: FlagRule | undefined, now: Date): FeatureFlagView {
  return {
    name: definition.name,
    description: definition.description,
    default: definition.default,
    context: definition.name.slice(0, definition.name.indexOf('.')),
    rule: rule ? { ...withoutName(rule), expired: rule.expiresAt !== null && Date.parse(rule.expiresAt) <= now.getTime() } : null,
  };
}

function withoutName({ name: _name, ...rest }: FlagRule): Omit<FlagRule, 'name'> {
  return rest;
}
