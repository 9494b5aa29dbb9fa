import { generate, generateSecret, generateURI, verify } from 'otplib';

/** RFC 6238 with the authenticator apps' defaults: SHA-1, 6 digits, 30 s steps. */
export const TOTP_PERIOD_SECONDS = 30;
/** One step either side: a phone's clock may be off by a few seconds, and typing takes time. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, issuer: string, account: string): string {
  return generateURI({ issuer, label: account, secret });
}

export function totpCode(secret: string, epochSeconds = Date.now() / 1000): Promise<string> {
  return generate({ secret, epoch: Math.floor(epochSeconds) });
}

export type TotpCheck = { valid: true; timeStep: number } | { valid: false; replayed: boolean };

/**
 * Checks a code against the current step and its neighbours. A code of a step at or before
 * `lastTimeStep` (the step of the last code accepted for this user) is refused as a replay: each
 * code works once, even within its window.
 */
export async function checkTotp(secret: string, code: string, lastTimeStep: number | null, epochSeconds = Date.now() / 1000): Promise<TotpCheck> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { valid: false, replayed: false };
  const result = await verify({ secret, token, epoch: Math.floor(epochSeconds), epochTolerance: TOLERANCE_SECONDS });
  if (!result.valid) return { valid: false, replayed: false };
  // The functional API types HOTP's and TOTP's results alike; a TOTP result carries its step.
  const timeStep = (result as { timeStep: number }).timeStep;
  if (lastTimeStep !== null && timeStep <= lastTimeStep) return { valid: false, replayed: true };
  return { valid: true, timeStep };
}
