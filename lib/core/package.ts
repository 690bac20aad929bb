// Where this package is installed: its root (found from lib/ under ts-node and from dist/lib/ when
// compiled alike) and its version, for what it ships beside the code (the handler bundle, the
// notifier's runbook, the preview samples). Node-only; the Lambda handler never imports it.
import * as fs from 'fs';
import * as path from 'path';

export const PACKAGE_NAME = 'cdk-runbook-alarms';

let cached: { root: string; version: string } | undefined;

function find(): { root: string; version: string } {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
        if (pkg.name === PACKAGE_NAME) return (cached = { root: dir, version: String(pkg.version ?? '0.0.0') });
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
  }
}

/** The directory of this package's package.json. */
export function packageRoot(): string {
  return find().root;
}

/** This package's version. */
export function packageVersion(): string {
  return find().version;
}
