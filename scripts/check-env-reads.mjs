// Config is validated once at boot: only entry points may read process.env (conventions, rule 9).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const allowed = [/^apps\/[^/]+\/src\/main\.ts$/, /^ormconfig\.ts$/, /^scripts\//, /^bench\//, /^test\//, /\.spec\.ts$/];
const offenders = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts') && !allowed.some((re) => re.test(path)) && /process\.env\b/.test(readFileSync(path, 'utf8'))) offenders.push(path);
  }
};
for (const root of ['apps', 'libs']) walk(root);
if (offenders.length > 0) {
  console.error(`process.env is read outside entry points (use the validated AppConfig):\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
console.log('✔ process.env is read only by entry points');
