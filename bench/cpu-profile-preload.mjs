// Loaded with `--import` through NODE_OPTIONS (where `--cpu-prof` is not allowed) by benches that
// profile a server and the processes and threads it starts: profiles this thread with the
// inspector and writes `<TESSERA_CPU_PROF_DIR>/<pid>-<thread>-<time>.cpuprofile` at exit.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

const dir = process.env.TESSERA_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    // The inspector answers synchronously on this thread, so the profile is written before exit.
    session.post('Profiler.stop', (error, result) => {
      if (error === null) {
        writeFileSync(join(dir, `${process.pid}-${threadId}-${Date.now()}.cpuprofile`), JSON.stringify(result.profile));
      }
    });
  });
}
