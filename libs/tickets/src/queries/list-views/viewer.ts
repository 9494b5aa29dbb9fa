import type { TenantTx } from '@switchboard/platform';
import type { ViewsRepository } from '../../repositories/views.repository';
import type { ViewViewer } from '../../repositories/views.sql';

/** Who is looking at views: a member sees their own, their groups' and shared views; configurers every group's; an API key shared and group views. */
export async function viewerOf(tx: TenantTx, views: ViewsRepository, userId: string | null, configures: boolean): Promise<ViewViewer> {
  return { userId, groupIds: userId && !configures ? await views.groupsOf(tx, userId) : [], seesAllGroups: configures || !userId };
}
