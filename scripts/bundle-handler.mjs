/* global console */
// Bundles the SlackNotifier's Lambda handler into dist/handler/index.js when the package is built,
// so a consumer's `cdk synth` needs neither esbuild nor Docker. The AWS SDK v3 comes from the runtime.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = await build({
  entryPoints: [join(root, 'lib/handler/index.ts')],
  outfile: join(root, 'dist/handler/index.js'),
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['@aws-sdk/*'],
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`bundled lib/handler/index.ts -> dist/handler/index.js (${(bytes / 1024).toFixed(1)} KB)`);
