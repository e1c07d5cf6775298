/**
 * The child the `ProcessLauncher` contract launches. It talks the way a datanode does
 * (messages through `process.send`, which Electron's utility-process bootstrap provides as
 * well) and behaves as its first argument says:
 *   hello ARGS...   send { type: 'hello', args, secret, pid }, then wait to be stopped
 *   ignore-term     the same, but survive SIGTERM (only SIGKILL ends it)
 *   exit CODE       exit at once with CODE
 */
const [mode = 'hello', ...rest] = process.argv.slice(2);

if (mode === 'exit') process.exit(Number(rest[0] ?? 0));

if (mode === 'ignore-term') process.on('SIGTERM', () => {});
// A fixture must never outlive the test that launched it.
process.on('disconnect', () => process.exit(0));
// Keeps the event loop alive until a signal ends the process.
setInterval(() => {}, 60_000);

process.send?.({ type: 'hello', args: rest, secret: process.env.TESSERA_FIXTURE_SECRET ?? null, pid: process.pid });
