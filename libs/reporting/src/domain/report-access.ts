import { ProblemException } from '@switchboard/platform';
import type { ReportParams } from './report-builder';

export interface ReportViewer {
  userId: string | null;
  role: string | undefined;
}

const forbidden = (detail: string) => new ProblemException({ status: 403, type: 'forbidden', title: 'Forbidden', detail });

/**
 * Agent-level figures are for owners and admins (and API keys with `reports:read`). An agent's
 * reports are their own: the agent filter is set to them (another agent's id is a 403). Other
 * roles see team figures only: an agent filter or grouping is a 403.
 */
export function applyViewer(params: ReportParams, viewer: ReportViewer | null | undefined): ReportParams {
  if (!viewer || viewer.role === undefined || viewer.role === 'owner' || viewer.role === 'admin') return params;
  if (viewer.role === 'agent' && viewer.userId) {
    if (params.agentId !== null && params.agentId !== viewer.userId.toLowerCase()) throw forbidden('Agents see their own figures only: leave `agentId` out or pass your own id.');
    return { ...params, agentId: viewer.userId.toLowerCase() };
  }
  if (params.agentId !== null || params.groupBy === 'agent') throw forbidden('Figures by agent are for owners, admins and agents (their own).');
  return params;
}
