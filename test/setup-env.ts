// Pins "today" for every runbook freshness check in the suite (the library, and the `cdk` and
// CLI subprocesses, which inherit the environment), so no test starts failing as the calendar
// moves. The pin is the newest `last_updated` among the repository's runbooks (never before the
// day these tests were written), so bumping a runbook's date moves it along.
import * as fs from 'fs';
import * as path from 'path';

const FLOOR = '2026-11-23';
const dir = path.join(__dirname, '..', 'runbooks');
const dates = fs.readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .map((f) => /^last_updated: (\d{4}-\d{2}-\d{2})\s*$/m.exec(fs.readFileSync(path.join(dir, f), 'utf8'))?.[1])
  .filter((d): d is string => d !== undefined);
process.env.RUNBOOK_ALARMS_NOW ??= [FLOOR, ...dates].sort().pop();
