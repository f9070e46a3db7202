// A second runner for the journal tests: takes the journal's lock, records one entry, says "ready", then stays alive.
import { Journal } from '../../../src/engine/journal.ts';

const [file, id] = process.argv.slice(2);
if (!file || !id) throw new Error('usage: journal-holder FILE ENTRY_ID');
const journal = new Journal(file);
journal.acquire();
await journal.recordPending({
  id,
  drill: 'etcd-down',
  fault: `fault ${id}`,
  undo: { type: 'service-start', host: 'cp-1', unit: 'etcd' },
  recordedAt: new Date().toISOString(),
  manualFix: 'systemctl start etcd',
});
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
