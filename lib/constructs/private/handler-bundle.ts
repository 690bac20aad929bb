// Where the SlackNotifier's Lambda code is: the bundle `npm run build` writes to dist/handler in
// this package's root, found from lib/ (ts-node) or dist/lib/ (compiled) alike.
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../../core/package';

/**
 * The prebuilt handler bundle of this package (or of `root`).
 * Throws when `npm run build` has not made it.
 */
export function handlerBundle(root: string = packageRoot()): { dir: string } {
  const dir = path.join(root, 'dist', 'handler');
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`SlackNotifier: the Lambda bundle ${path.join(dir, 'index.js')} is missing; ` +
      `run \`npm run build\` in ${root} (it bundles lib/handler with esbuild)`);
  }
  return { dir };
}
