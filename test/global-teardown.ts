// Removes the example app's shared cloud assembly (see global-setup.ts).
import * as fs from 'fs';
import { EXAMPLE_SYNTH_ENV } from './support/synth';

export default function globalTeardown(): void {
  const dir = process.env[EXAMPLE_SYNTH_ENV];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
