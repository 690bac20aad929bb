// Where the SlackNotifier's Lambda code is: the bundles `npm run build` writes to dist/ in this
// package's root (one directory per function, so each asset holds its own bundle only), found
// from lib/ (ts-node) or dist/lib/ (compiled) alike.
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../../core/package';

/**
 * The functions' bundles (dist/functions/<name>): the notifier in webhook mode, the notifier in
 * Slack app mode, the interactivity function (Slack's button clicks), the escalation function (timers),
 * the handoff function (a rotation's handoffs).
 */
export type HandlerBundleName = 'notifier-webhook' | 'notifier-app' | 'interactivity' | 'escalation' | 'handoff';

/**
 * A prebuilt function bundle of this package (or of `root`).
 * Throws when `npm run build` has not made it.
 */
export function handlerBundle(name: HandlerBundleName, root: string = packageRoot()): { dir: string } {
  const dir = path.join(root, 'dist', 'functions', name);
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`SlackNotifier: the Lambda bundle ${path.join(dir, 'index.js')} is missing; ` +
      `run \`npm run build\` in ${root} (it bundles lib/functions with esbuild)`);
  }
  return { dir };
}
