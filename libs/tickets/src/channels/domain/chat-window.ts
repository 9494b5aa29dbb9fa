/** How long after the customer's last message WhatsApp delivers a free-text reply. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** WhatsApp's customer service window: free text only within 24 hours of the customer's last message. */
export function withinWindow(lastInboundAt: Date | null, now = Date.now()): boolean {
  return lastInboundAt !== null && now - lastInboundAt.getTime() < WHATSAPP_WINDOW_MS;
}
