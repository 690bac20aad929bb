// Where the SlackNotifier's Lambda code is: the bundles `npm run build` writes to dist/ in this
// package's root (one directory per function, so each asset holds its own bundle only), found
// from lib/ (ts-node) or dist/lib/ (compiled) alike.
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../../core/package';

/** The functions' bundles: the notifier, the interactivity function (Slack's button clicks), the escalation function (timers). */
export type HandlerBundleName = 'handler' | 'handler-interactivity' | 'handler-escalation';

/**
 * A prebuilt function bundle of this package (or of `root`).
 * Throws when `npm run build` has not made it.
 */
export function handlerBundle(root: string = packageRoot(), name: HandlerBundleName = 'handler'): { dir: string } {
  const dir = path.join(root, 'dist', name);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`SlackNotifier: the Lambda bundle ${path.join(dir, 'index.js')} is missing; ` +
      `run \`npm run build\` in ${root} (it bundles lib/handler with esbuild)`);
  }
  return { dir };
}
