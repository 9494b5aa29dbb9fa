import { Injectable } from '@nestjs/common';
import type { TenantTx } from '@switchboard/platform';
import type { EntityManager } from 'typeorm';
import type { ChannelKind, ChannelStatus, DeliveryStatus, InboundClassification, InboundStatus } from '../domain/channel-kinds';
import type { WidgetSettings } from '../domain/widget';

/** A channel as routes show it: never its secrets. */
export interface ChannelView {
  id: string;
  kind: ChannelKind;
  name: string;
  status: ChannelStatus;
  address: string | null;
  fromName: string | null;
  signature: string | null;
  /** Web channels: the key the embed snippet names (public, not a secret). */
  publicKey: string | null;
  /** Web channels: the widget's settings. */
  widget: WidgetSettings | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ChannelRecord extends ChannelView {
  tenantId: string;
  configKeyId: string;
  config: Buffer;
}

const CHANNEL_COLUMNS = 'tenant_id, id, kind, name, status, address, from_name, signature, public_key, widget, config_key_id, config, created_at, updated_at, version';

interface ChannelRow {
  tenant_id: string;
  id: string;
  kind: ChannelKind;
  name: string;
  status: ChannelStatus;
  address: string | null;
  from_name: string | null;
  signature: string | null;
  public_key: string | null;
  widget: WidgetSettings | null;
  config_key_id: string;
  config: Buffer;
  created_at: Date;
  updated_at: Date;
  version: number;
}

const toChannel = (r: ChannelRow): ChannelRecord => ({
  tenantId: r.tenant_id,
  id: r.id,
  kind: r.kind,
  name: r.name,
  status: r.status,
  address: r.address,
  fromName: r.from_name,
  signature: r.signature,
  publicKey: r.public_key,
  widget: r.widget,
  configKeyId: r.config_key_id,
  config: r.config,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
});

export const channelView = ({ tenantId: _t, configKeyId: _k, config: _c, ...view }: ChannelRecord): ChannelView => view;

export interface InboundView {
  id: string;
  channelId: string;
  externalId: string;
  sender: string;
  subject: string | null;
  receivedVia: 'webhook' | 'smtp';
  size: number;
  status: InboundStatus;
  classification: InboundClassification | null;
  notBefore: string;
  attempts: number;
  error: string | null;
  ticketId: string | null;
  ticketMessageId: string | null;
  createdAt: string;
  processedAt: string | null;
}

const INBOUND_COLUMNS = 'id, channel_id, external_id, sender, subject, received_via, size, status, classification, not_before, attempts, error, ticket_id, ticket_message_id, created_at, processed_at';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const toInbound = (r: Record<string, any>): InboundView => ({
  id: r.id,
  channelId: r.channel_id,
  externalId: r.external_id,
  sender: r.sender,
  subject: r.subject,
  receivedVia: r.received_via,
  size: Number(r.size),
  status: r.status,
  classification: r.classification,
  notBefore: iso(r.not_before)!,
  attempts: Number(r.attempts),
  error: r.error,
  ticketId: r.ticket_id,
  ticketMessageId: r.ticket_message_id,
  createdAt: iso(r.created_at)!,
  processedAt: iso(r.processed_at),
});

export interface DeliveryView {
  id: string;
  channelId: string;
  ticketId: string;
  ticketMessageId: string;
  recipient: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  messageId: string | null;
  providerMessageId: string | null;
  error: string | null;
  sentAt: string | null;
  failedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /**
   * What this delivery sends instead of the ticket message's text: a WhatsApp template (name,
   * language, parameters), or a rendered message template (`subject` and `text`: the contact
   * form's confirmation mail).
   */
  template: { name: string; language: string; parameters: string[]; subject?: string; text?: string } | null;
}

const DELIVERY_COLUMNS = 'id, channel_id, ticket_id, ticket_message_id, recipient, status, attempts, next_attempt_at, message_id, provider_message_id, error, sent_at, failed_at, created_at, updated_at, template';

const toDelivery = (r: Record<string, any>): DeliveryView => ({
  id: r.id,
  channelId: r.channel_id,
  ticketId: r.ticket_id,
  ticketMessageId: r.ticket_message_id,
  recipient: r.recipient,
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: iso(r.next_attempt_at)!,
  messageId: r.message_id,
  providerMessageId: r.provider_message_id,
  error: r.error,
  sentAt: iso(r.sent_at),
  failedAt: iso(r.failed_at),
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  template: r.template ?? null,
});

export interface ConversationView {
  ticketId: string;
  channelId: string;
  token: string;
  contactAddress: string;
  subject: string;
  threadIndex: string | null;
}

const toConversation = (r: Record<string, any>): ConversationView => ({
  ticketId: r.ticket_id,
  channelId: r.channel_id,
  token: r.token,
  contactAddress: r.contact_address,
  subject: r.subject,
  threadIndex: r.thread_index,
});

/** TypeORM answers an UPDATE or DELETE on Postgres with [rows, affected]; everything else with the rows. */
export function rowsOf<R>(result: unknown): R {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as R;
  return result as R;
}

const q = async <R = Record<string, any>[]>(tx: TenantTx, sql: string, params: unknown[]): Promise<R> => rowsOf<R>(await tx.manager.query(sql, params));
const err = (s: string | null) => (s === null ? null : s.slice(0, 1000));

/** Channels, their inbound messages, conversations, message ids and deliveries; every method runs in the caller's transaction. */
@Injectable()
export class ChannelsRepository {
  // Channels

  async insertChannel(
    tx: TenantTx,
    c: { kind: ChannelKind; name: string; address: string | null; fromName: string | null; signature: string | null; configKeyId: string; config: Buffer; id: string; publicKey?: string | null; widget?: WidgetSettings | null },
  ): Promise<ChannelRecord> {
    const [row] = await q(tx, `INSERT INTO channels (tenant_id, id, kind, name, address, from_name, signature, config_key_id, config, public_key, widget) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${CHANNEL_COLUMNS}`, [
      tx.tenantId,
      c.id,
      c.kind,
      c.name,
      c.address,
      c.fromName,
      c.signature,
      c.configKeyId,
      c.config,
      c.publicKey ?? null,
      c.widget ? JSON.stringify(c.widget) : null,
    ]);
    return toChannel(row as ChannelRow);
  }

  async updateChannel(tx: TenantTx, id: string, c: { name: string; status: ChannelStatus; fromName: string | null; signature: string | null; configKeyId: string; config: Buffer; widget: WidgetSettings | null }): Promise<ChannelRecord> {
    const [row] = await q(
      tx,
      `UPDATE channels SET name = $3, status = $4, from_name = $5, signature = $6, config_key_id = $7, config = $8, widget = $9, version = version + 1, updated_at = now()
       WHERE tenant_id = $1 AND id = $2 RETURNING ${CHANNEL_COLUMNS}`,
      [tx.tenantId, id, c.name, c.status, c.fromName, c.signature, c.configKeyId, c.config, c.widget ? JSON.stringify(c.widget) : null],
    );
    return toChannel(row as ChannelRow);
  }

  async findChannel(tx: TenantTx, id: string, lock = false): Promise<ChannelRecord | undefined> {
    const rows = await q(tx, `SELECT ${CHANNEL_COLUMNS} FROM channels WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [tx.tenantId, id]);
    return rows[0] ? toChannel(rows[0] as ChannelRow) : undefined;
  }

  async listChannels(tx: TenantTx): Promise<ChannelRecord[]> {
    return (await q(tx, `SELECT ${CHANNEL_COLUMNS} FROM channels WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 200`, [tx.tenantId])).map((r) => toChannel(r as ChannelRow));
  }

  /** The tenant's own inbound addresses: mail from them is a loop. */
  async ownAddresses(tx: TenantTx): Promise<string[]> {
    return (await q(tx, `SELECT lower(address) AS address FROM channels WHERE tenant_id = $1 AND address IS NOT NULL`, [tx.tenantId])).map((r) => r.address as string);
  }

  /** Cross-tenant routing (webhook by channel id, SMTP by address), before any tenant is known. */
  static async routeById(manager: EntityManager, id: string): Promise<ChannelRecord | undefined> {
    const rows: ChannelRow[] = await manager.query(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE id = $1`, [id]);
    return rows[0] ? toChannel(rows[0]) : undefined;
  }

  /** A web channel by the public key its embed snippet names (any tenant's: the key is the only thing a visitor has). */
  static async routeByPublicKey(manager: EntityManager, publicKey: string): Promise<ChannelRecord | undefined> {
    const rows: ChannelRow[] = await manager.query(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE public_key = $1 AND kind = 'web'`, [publicKey]);
    return rows[0] ? toChannel(rows[0]) : undefined;
  }

  static async routeByAddress(manager: EntityManager, address: string): Promise<ChannelRecord | undefined> {
    const rows: ChannelRow[] = await manager.query(`SELECT ${CHANNEL_COLUMNS} FROM channels WHERE lower(address) = $1`, [address.toLowerCase()]);
    return rows[0] ? toChannel(rows[0]) : undefined;
  }

  // Inbound

  /**
   * Paces one sender (GCRA): each mail moves the sender's theoretical arrival time on by
   * `intervalMs`; a mail may run once that time is less than `burst` intervals ahead of now.
   * Returns when this mail may be processed.
   */
  async pace(tx: TenantTx, channelId: string, sender: string, intervalMs: number, burst: number): Promise<Date> {
    const [row] = await q(
      tx,
      `INSERT INTO channel_sender_pace AS p (tenant_id, channel_id, sender, tat) VALUES ($1, $2, $3, now() + make_interval(secs => $4::float8 / 1000))
       ON CONFLICT (tenant_id, channel_id, sender) DO UPDATE SET tat = GREATEST(p.tat, now()) + make_interval(secs => $4::float8 / 1000)
       RETURNING GREATEST(now(), tat - make_interval(secs => $4::float8 * $5 / 1000)) AS not_before`,
      [tx.tenantId, channelId, sender, intervalMs, burst],
    );
    return new Date(row!.not_before);
  }

  /** Stores a received message once per channel and external id; undefined for a duplicate. */
  async insertInbound(tx: TenantTx, i: { channelId: string; externalId: string; sender: string; subject: string | null; receivedVia: 'webhook' | 'smtp'; raw: Buffer; notBefore: Date }): Promise<InboundView | undefined> {
    const rows = await q(
      tx,
      `INSERT INTO channel_inbound (tenant_id, channel_id, external_id, sender, subject, received_via, raw, size, not_before) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tenant_id, channel_id, external_id) DO NOTHING RETURNING ${INBOUND_COLUMNS}`,
      [tx.tenantId, i.channelId, i.externalId, i.sender.slice(0, 320), i.subject?.slice(0, 1000) ?? null, i.receivedVia, i.raw, i.raw.length, i.notBefore],
    );
    return rows[0] ? toInbound(rows[0]) : undefined;
  }

  async findInbound(tx: TenantTx, id: string): Promise<InboundView | undefined> {
    const rows = await q(tx, `SELECT ${INBOUND_COLUMNS} FROM channel_inbound WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
    return rows[0] ? toInbound(rows[0]) : undefined;
  }

  async findInboundByExternalId(tx: TenantTx, channelId: string, externalId: string): Promise<InboundView | undefined> {
    const rows = await q(tx, `SELECT ${INBOUND_COLUMNS} FROM channel_inbound WHERE tenant_id = $1 AND channel_id = $2 AND external_id = $3`, [tx.tenantId, channelId, externalId]);
    return rows[0] ? toInbound(rows[0]) : undefined;
  }

  /** Takes a due message (pending, or processing but abandoned for `staleMs`); undefined when another worker has it or it is done. */
  async claimInbound(tx: TenantTx, id: string, staleMs: number): Promise<(InboundView & { raw: Buffer }) | undefined> {
    const rows = await q(
      tx,
      `UPDATE channel_inbound SET status = 'processing', claimed_at = now(), attempts = attempts + 1
       WHERE tenant_id = $1 AND id = $2 AND not_before <= now() + interval '1 second'
         AND (status = 'pending' OR (status = 'processing' AND claimed_at < now() - make_interval(secs => $3::float8 / 1000)))
       RETURNING ${INBOUND_COLUMNS}, raw`,
      [tx.tenantId, id, staleMs],
    );
    return rows[0] ? { ...toInbound(rows[0]), raw: rows[0].raw as Buffer } : undefined;
  }

  /** Settles a claimed message; false when it is no longer this claim's (then the caller's transaction must roll back). */
  async settleInbound(tx: TenantTx, id: string, outcome: { status: 'processed' | 'ignored' | 'failed'; classification: InboundClassification | null; error?: string | null; ticketId?: string | null; ticketMessageId?: string | null }): Promise<boolean> {
    const rows = await q(
      tx,
      `UPDATE channel_inbound SET status = $3, classification = $4, error = $5, ticket_id = $6, ticket_message_id = $7, processed_at = now()
       WHERE tenant_id = $1 AND id = $2 AND status = 'processing' RETURNING id`,
      [tx.tenantId, id, outcome.status, outcome.classification, err(outcome.error ?? null), outcome.ticketId ?? null, outcome.ticketMessageId ?? null],
    );
    return rows.length === 1;
  }

  async retryInboundLater(tx: TenantTx, id: string, at: Date, error: string): Promise<void> {
    await q(tx, `UPDATE channel_inbound SET status = 'pending', not_before = $3, error = $4 WHERE tenant_id = $1 AND id = $2 AND status = 'processing'`, [tx.tenantId, id, at, err(error)]);
  }

  async listInbound(tx: TenantTx, filter: { ticketId?: string; status?: InboundStatus; limit: number }): Promise<InboundView[]> {
    const params: unknown[] = [tx.tenantId, filter.limit];
    const where = [`tenant_id = $1`];
    if (filter.ticketId) where.push(`ticket_id = $${params.push(filter.ticketId)}`);
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    return (await q(tx, `SELECT ${INBOUND_COLUMNS} FROM channel_inbound WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $2`, params)).map(toInbound);
  }

  async inboundRaw(tx: TenantTx, id: string): Promise<{ raw: Buffer; externalId: string } | undefined> {
    const rows = await q(tx, `SELECT raw, external_id FROM channel_inbound WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
    return rows[0] ? { raw: rows[0].raw as Buffer, externalId: rows[0].external_id as string } : undefined;
  }

  async countInbound(tx: TenantTx, channelId: string, sender: string): Promise<Record<InboundStatus, number>> {
    const rows = await q(tx, `SELECT status, count(*)::int AS n FROM channel_inbound WHERE tenant_id = $1 AND channel_id = $2 AND sender = $3 GROUP BY status`, [tx.tenantId, channelId, sender]);
    const counts = { pending: 0, processing: 0, processed: 0, ignored: 0, failed: 0 };
    for (const r of rows) counts[r.status as InboundStatus] = Number(r.n);
    return counts;
  }

  // Threading

  /** The ticket one of these message ids belongs to, the first (newest) match winning. */
  async ticketByMessageIds(tx: TenantTx, messageIds: readonly string[]): Promise<string | undefined> {
    if (messageIds.length === 0) return undefined;
    const rows = await q(tx, `SELECT ticket_id, message_id FROM channel_message_refs WHERE tenant_id = $1 AND message_id = ANY($2::text[])`, [tx.tenantId, [...messageIds]]);
    for (const id of messageIds) {
      const hit = rows.find((r) => r.message_id === id);
      if (hit) return hit.ticket_id as string;
    }
    return undefined;
  }

  async conversationByToken(tx: TenantTx, tokens: readonly string[]): Promise<ConversationView | undefined> {
    if (tokens.length === 0) return undefined;
    const rows = await q(tx, `SELECT * FROM channel_conversations WHERE tenant_id = $1 AND token = ANY($2::text[])`, [tx.tenantId, [...tokens]]);
    for (const token of tokens) {
      const hit = rows.find((r) => r.token === token);
      if (hit) return toConversation(hit);
    }
    return undefined;
  }

  async conversationByThreadIndex(tx: TenantTx, root: string): Promise<ConversationView | undefined> {
    const rows = await q(tx, `SELECT * FROM channel_conversations WHERE tenant_id = $1 AND thread_index = $2 ORDER BY created_at DESC LIMIT 1`, [tx.tenantId, root]);
    return rows[0] ? toConversation(rows[0]) : undefined;
  }

  async conversation(tx: TenantTx, ticketId: string): Promise<ConversationView | undefined> {
    const rows = await q(tx, `SELECT * FROM channel_conversations WHERE tenant_id = $1 AND ticket_id = $2`, [tx.tenantId, ticketId]);
    return rows[0] ? toConversation(rows[0]) : undefined;
  }

  /** A chat's current conversation on a channel: the newest of its tickets that is not closed. */
  async openConversationByContact(tx: TenantTx, channelId: string, contactAddress: string): Promise<ConversationView | undefined> {
    const rows = await q(
      tx,
      `SELECT c.* FROM channel_conversations c JOIN tickets t ON t.tenant_id = c.tenant_id AND t.id = c.ticket_id
       WHERE c.tenant_id = $1 AND c.channel_id = $2 AND c.contact_address = $3 AND t.status <> 'closed' ORDER BY c.created_at DESC LIMIT 1`,
      [tx.tenantId, channelId, contactAddress],
    );
    return rows[0] ? toConversation(rows[0]) : undefined;
  }

  async insertConversation(tx: TenantTx, c: ConversationView): Promise<void> {
    await q(tx, `INSERT INTO channel_conversations (tenant_id, ticket_id, channel_id, token, contact_address, subject, thread_index) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      tx.tenantId,
      c.ticketId,
      c.channelId,
      c.token,
      c.contactAddress,
      c.subject.slice(0, 1000),
      c.threadIndex,
    ]);
  }

  async setThreadIndex(tx: TenantTx, ticketId: string, threadIndex: string): Promise<void> {
    await q(tx, `UPDATE channel_conversations SET thread_index = $3 WHERE tenant_id = $1 AND ticket_id = $2 AND thread_index IS NULL`, [tx.tenantId, ticketId, threadIndex]);
  }

  async insertRef(tx: TenantTx, r: { messageId: string; ticketId: string; ticketMessageId: string | null; direction: 'in' | 'out' }): Promise<void> {
    await q(tx, `INSERT INTO channel_message_refs (tenant_id, message_id, ticket_id, ticket_message_id, direction) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, message_id) DO NOTHING`, [
      tx.tenantId,
      r.messageId,
      r.ticketId,
      r.ticketMessageId,
      r.direction,
    ]);
  }

  /** The ticket's message ids, oldest first (References of a reply), at most `limit`. */
  async refsOfTicket(tx: TenantTx, ticketId: string, limit = 20): Promise<string[]> {
    const rows = await q(tx, `SELECT message_id FROM (SELECT message_id, created_at FROM channel_message_refs WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY created_at DESC LIMIT $3) r ORDER BY created_at`, [tx.tenantId, ticketId, limit]);
    return rows.map((r) => r.message_id as string);
  }

  /** What an outbound reply needs of its ticket message. */
  async ticketMessage(tx: TenantTx, id: string): Promise<{ id: string; ticketId: string; body: string; html: string | null; authorId: string | null; createdAt: Date } | undefined> {
    const rows = await q(tx, `SELECT id, ticket_id, body, html, author_id, created_at FROM ticket_messages WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
    return rows[0] ? { id: rows[0].id, ticketId: rows[0].ticket_id, body: rows[0].body, html: rows[0].html, authorId: rows[0].author_id, createdAt: new Date(rows[0].created_at) } : undefined;
  }

  /**
   * The files an agent attached to the ticket for this reply: those they uploaded after their
   * previous public reply on the ticket and up to this one.
   */
  async replyAttachments(tx: TenantTx, ticketId: string, authorId: string, until: Date): Promise<{ filename: string; contentType: string; storageKey: string }[]> {
    const rows = await q(
      tx,
      `SELECT a.filename, a.content_type, a.storage_key FROM ticket_attachments a
       WHERE a.tenant_id = $1 AND a.ticket_id = $2 AND a.uploaded_by = $3 AND a.created_at <= $4
         AND a.created_at > COALESCE((SELECT max(m.created_at) FROM ticket_messages m WHERE m.tenant_id = $1 AND m.ticket_id = $2 AND m.author_type = 'agent'
                                        AND m.author_id = $3 AND m.visibility = 'public' AND m.created_at < $4), '-infinity')
       ORDER BY a.created_at LIMIT 20`,
      [tx.tenantId, ticketId, authorId, until],
    );
    return rows.map((r) => ({ filename: r.filename, contentType: String(r.content_type).split(';')[0]!, storageKey: r.storage_key }));
  }

  // Deliveries

  /** Queues a message's delivery once; undefined when it already has one. */
  async insertDelivery(tx: TenantTx, d: { channelId: string; ticketId: string; ticketMessageId: string; recipient: string; template?: DeliveryView['template'] }): Promise<DeliveryView | undefined> {
    const rows = await q(
      tx,
      `INSERT INTO channel_deliveries (tenant_id, channel_id, ticket_id, ticket_message_id, recipient, template) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, ticket_message_id) DO NOTHING RETURNING ${DELIVERY_COLUMNS}`,
      [tx.tenantId, d.channelId, d.ticketId, d.ticketMessageId, d.recipient, d.template ? JSON.stringify(d.template) : null],
    );
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  /** queued → sending, attempts + 1, with the Message-ID this and every later attempt carries; undefined when not due or not queued. */
  async claimDelivery(tx: TenantTx, id: string, messageId: string): Promise<DeliveryView | undefined> {
    const rows = await q(
      tx,
      `UPDATE channel_deliveries SET status = 'sending', attempts = attempts + 1, claimed_at = now(), message_id = COALESCE(message_id, $3), updated_at = now()
       WHERE tenant_id = $1 AND id = $2 AND status = 'queued' AND next_attempt_at <= now() + interval '1 second' RETURNING ${DELIVERY_COLUMNS}`,
      [tx.tenantId, id, messageId],
    );
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  async settleDelivery(
    tx: TenantTx,
    id: string,
    from: readonly DeliveryStatus[],
    change: { status: DeliveryStatus; providerMessageId?: string | null; error?: string | null; nextAttemptAt?: Date },
  ): Promise<DeliveryView | undefined> {
    const rows = await q(
      tx,
      `UPDATE channel_deliveries SET status = $4, provider_message_id = COALESCE($5, provider_message_id), error = $6,
         next_attempt_at = COALESCE($7, next_attempt_at), updated_at = now(),
         sent_at = CASE WHEN $4 = 'sent' THEN now() ELSE sent_at END,
         failed_at = CASE WHEN $4 = 'failed' THEN now() ELSE NULL END,
         attempts = CASE WHEN $4 = 'queued' AND status = 'failed' THEN 0 ELSE attempts END
       WHERE tenant_id = $1 AND id = $2 AND status = ANY($3::text[]) RETURNING ${DELIVERY_COLUMNS}`,
      [tx.tenantId, id, [...from], change.status, change.providerMessageId ?? null, err(change.error ?? null), change.nextAttemptAt ?? null],
    );
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  /** A delivery on a channel by the id the provider gave the message (WhatsApp's wamid). */
  async deliveryByProviderId(tx: TenantTx, channelId: string, providerMessageId: string): Promise<DeliveryView | undefined> {
    const rows = await q(tx, `SELECT ${DELIVERY_COLUMNS} FROM channel_deliveries WHERE tenant_id = $1 AND channel_id = $2 AND provider_message_id = $3`, [tx.tenantId, channelId, providerMessageId]);
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  /** The channel kind a ticket's conversation lives on and when its contact last wrote there (the chat window). */
  async chatWindow(tx: TenantTx, ticketId: string): Promise<{ kind: ChannelKind; lastInboundAt: Date | null } | undefined> {
    const rows = await q(
      tx,
      `SELECT ch.kind, (SELECT max(i.created_at) FROM channel_inbound i WHERE i.tenant_id = c.tenant_id AND i.channel_id = c.channel_id AND i.sender = c.contact_address) AS last_inbound_at
       FROM channel_conversations c JOIN channels ch ON ch.tenant_id = c.tenant_id AND ch.id = c.channel_id WHERE c.tenant_id = $1 AND c.ticket_id = $2`,
      [tx.tenantId, ticketId],
    );
    return rows[0] ? { kind: rows[0].kind, lastInboundAt: rows[0].last_inbound_at ? new Date(rows[0].last_inbound_at) : null } : undefined;
  }

  async findDelivery(tx: TenantTx, id: string): Promise<DeliveryView | undefined> {
    const rows = await q(tx, `SELECT ${DELIVERY_COLUMNS} FROM channel_deliveries WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  async deliveriesByMessageIds(tx: TenantTx, messageIds: readonly string[]): Promise<DeliveryView[]> {
    if (messageIds.length === 0) return [];
    return (await q(tx, `SELECT ${DELIVERY_COLUMNS} FROM channel_deliveries WHERE tenant_id = $1 AND lower(message_id) = ANY($2::text[])`, [tx.tenantId, [...messageIds]])).map(toDelivery);
  }

  async listDeliveries(tx: TenantTx, filter: { status?: DeliveryStatus; ticketId?: string; limit: number }): Promise<DeliveryView[]> {
    const params: unknown[] = [tx.tenantId, filter.limit];
    const where = [`tenant_id = $1`];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.ticketId) where.push(`ticket_id = $${params.push(filter.ticketId)}`);
    return (await q(tx, `SELECT ${DELIVERY_COLUMNS} FROM channel_deliveries WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $2`, params)).map(toDelivery);
  }

  /** The parts of a delivery already sent (part key → the provider's id), so a retry sends only the rest. */
  async deliveryParts(tx: TenantTx, id: string): Promise<Record<string, string>> {
    const rows = await q(tx, `SELECT parts FROM channel_deliveries WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
    return (rows[0]?.parts as Record<string, string> | undefined) ?? {};
  }

  /** Records one sent part while this attempt holds the delivery (status sending). */
  async recordDeliveryPart(tx: TenantTx, id: string, part: string, providerMessageId: string): Promise<void> {
    await q(tx, `UPDATE channel_deliveries SET parts = parts || jsonb_build_object($3::text, $4::text), updated_at = now() WHERE tenant_id = $1 AND id = $2 AND status = 'sending'`, [
      tx.tenantId,
      id,
      part.slice(0, 300),
      providerMessageId.slice(0, 300),
    ]);
  }

  // Bounces

  async markBouncing(tx: TenantTx, address: string, reason: string | null): Promise<void> {
    await q(
      tx,
      `INSERT INTO channel_bouncing_addresses AS b (tenant_id, address, reason) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, address) DO UPDATE SET bounces = b.bounces + 1, reason = EXCLUDED.reason, last_bounced_at = now()`,
      [tx.tenantId, address.toLowerCase().slice(0, 320), err(reason)],
    );
  }

  async bouncing(tx: TenantTx, addresses: readonly string[]): Promise<{ address: string; reason: string | null; bounces: number; lastBouncedAt: string }[]> {
    const rows = await q(tx, `SELECT address, reason, bounces, last_bounced_at FROM channel_bouncing_addresses WHERE tenant_id = $1 AND address = ANY($2::text[])`, [tx.tenantId, addresses.map((a) => a.toLowerCase())]);
    return rows.map((r) => ({ address: r.address, reason: r.reason, bounces: Number(r.bounces), lastBouncedAt: iso(r.last_bounced_at)! }));
  }

  async clearBouncing(tx: TenantTx, address: string): Promise<void> {
    await q(tx, `DELETE FROM channel_bouncing_addresses WHERE tenant_id = $1 AND address = $2`, [tx.tenantId, address.toLowerCase()]);
  }
}

/** The worker's sweep across tenants (system transaction): what is due within the look-ahead. */
export const channelSweepSql = {
  dueInbound: (until: Date, staleMs: number, limit: number) => ({
    sql: `SELECT tenant_id, id, not_before FROM channel_inbound
          WHERE (status = 'pending' AND not_before <= $1) OR (status = 'processing' AND claimed_at < now() - make_interval(secs => $2::float8 / 1000))
          ORDER BY not_before LIMIT $3`,
    params: [until, staleMs, limit],
  }),
  dueDeliveries: (until: Date, limit: number) => ({
    sql: `SELECT tenant_id, id, next_attempt_at FROM channel_deliveries WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT $2`,
    params: [until, limit],
  }),
  /** A send interrupted mid-way may have left: failed (dead-lettered) rather than sent twice; an agent retries it knowingly. */
  interruptedDeliveries: (staleMs: number) => ({
    sql: `UPDATE channel_deliveries SET status = 'failed', failed_at = now(), updated_at = now(),
            error = 'Sending was interrupted (the worker stopped); not retried automatically, so the customer is not mailed twice. Retry it from the dead-letter list.'
          WHERE status = 'sending' AND claimed_at < now() - make_interval(secs => $1::float8 / 1000)
          RETURNING tenant_id, id, ticket_id, ticket_message_id, channel_id, attempts, error`,
    params: [staleMs],
  }),
};
