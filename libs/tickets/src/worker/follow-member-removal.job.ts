import { MemberRemoved } from '@switchboard/tenancy';
import { OnEvent, type DurableEventHandler, type EnvelopeOf, type TenantTx } from '@switchboard/platform';
import { GroupsRepository } from '../repositories/groups.repository';
import { GroupMembershipChanged, TicketsQueue } from '../tickets.context';

/**
 * A member who leaves the tenant leaves its groups too. Once per event (the receipt commits with
 * the change), and idempotent anyway: a second removal finds no membership.
 */
@OnEvent(MemberRemoved, { queue: TicketsQueue, job: 'tickets.follow-member-removal' })
export class FollowMemberRemovalJob implements DurableEventHandler<typeof MemberRemoved> {
  constructor(private readonly groups: GroupsRepository) {}

  async handle(event: EnvelopeOf<typeof MemberRemoved>, tx: TenantTx): Promise<void> {
    const { userId } = event.payload;
    for (const groupId of await this.groups.removeFromAll(tx, userId)) {
      await tx.emit(GroupMembershipChanged.of(groupId, { userId, action: 'remove' }));
    }
  }
}
