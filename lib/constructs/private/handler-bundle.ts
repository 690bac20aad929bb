// Where the SlackNotifier's Lambda code is: the bundle `npm run build` writes to dist/handler in
// this package's root, found from lib/ (ts-node) or dist/lib/ (compiled) alike.
import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'cdk-runbook-alarms';

/** The root of this package (where its package.json is), from lib/ (ts-node) or dist/lib/. */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`SlackNotifier: cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
  }
}

/**
 * The prebuilt handler bundle of this package (or of `root`), and the package version.
 * Throws when `npm run build` has not made it.
 */
export function handlerBundle(root: string = packageRoot()): { dir: string; version: string } {
  const dir = path.join(root, 'dist', 'handler');
  if (!fs.existsSync(path.join(dir, 'index.js'))) {
    throw new Error(`SlackNotifier: the Lambda bundle ${path.join(dir, 'index.js')} is missing; ` +
      `run \`npm run build\` in ${root} (it bundles lib/handler with esbuild)`);
  }
  const version = String(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version ?? 'latest');
  return { dir, version };
}
