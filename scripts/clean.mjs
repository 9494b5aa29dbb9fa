// Removes build output and stray compiled files a failed build can leave next to sources.
import { rmSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

rmSync('dist', { recursive: true, force: true });
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.js(\.map)?$/.test(name)) rmSync(path);
  }
};
for (const root of ['apps', 'libs', 'migrations']) walk(root);
