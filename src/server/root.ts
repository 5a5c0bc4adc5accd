import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root (the folder with package.json), found by walking up from a module: the same code runs from
 * src/server under tsx and from dist/server/server once compiled, so a fixed `../../` would point elsewhere.
 */
export function packageRoot(moduleUrl: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(moduleUrl));
    dir = up;
  }
  return dir + path.sep;
}
