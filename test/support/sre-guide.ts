// The SRE guide's own files, verbatim, read from the shared fixtures beside the repository
// (`../shared/fixtures/sre-guide/`, as CI lays it out; they are read, never copied into the project).
// Without them the suites that read them fail at once saying where they are looked for.
import * as fs from 'fs';
import * as path from 'path';

export const SRE_GUIDE = path.join(__dirname, '..', '..', '..', 'shared', 'fixtures', 'sre-guide');

/** The path of one of the guide's files; throws naming the folder when the shared fixtures are not there. */
export function sreGuideFile(name: string): string {
  const file = path.join(SRE_GUIDE, name);
  if (!fs.existsSync(file)) {
    throw new Error(`the SRE guide's ${name} is read from ${SRE_GUIDE}: clone the shared fixtures (shared/fixtures/sre-guide) beside the repository`);
  }
  return file;
}
