import { z } from 'zod';

/**
 * The CSAT part of the tickets context's configuration (spread into the context's one config
 * slice, `channelsConfig`, in channels/channels.registration.ts).
 */
export const CSAT_CONFIG_SHAPE = {
  /** Base64 of at least 32 random bytes: the HMAC-SHA256 key signing survey links. Unset: a key generated into platform_secrets by the migration. */
  CSAT_SIGNING_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=]+$/, 'expected base64')
    .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be at least 32 bytes (base64 of 32 random bytes)')
    .optional(),
  /** Where survey links point: the token is appended as one more path segment. */
  CSAT_LINK_BASE_URL: z.string().url('expected a URL such as https://help.example.com/csat').default('http://localhost:3000/v1/public/csat'),
  /** Anonymous survey reads and ratings per IP and minute. */
  RATE_LIMIT_CSAT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
};
