/**
 * `tessera <command>`: the one executable for every role. bin/tessera.js loads this file
 * through tsx, so the CLI runs straight from a checkout after `npm install`.
 */
import { parseArgs } from 'node:util';
import { TESSERA_VERSION, asTesseraError } from '../common/index.ts';
import { commands } from './commands.ts';

function overview(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return `tessera ${TESSERA_VERSION}: a GreptimeDB-compatible distributed time-series database

Usage: tessera <command> [options]

Commands:
${lines.join('\n')}

Run 'tessera <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(overview() + '\n');
    return;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(TESSERA_VERSION + '\n');
    return;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`tessera: unknown command '${name}'\n\n${overview()}\n`);
    process.exitCode = 2;
    return;
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({ args: rest, options: command.options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    process.stderr.write(`tessera ${name}: ${(error as Error).message}\n\n${command.usage}\n`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(command.usage + '\n');
    return;
  }
  try {
    await command.run(values);
  } catch (error) {
    const failure = asTesseraError(error);
    process.stderr.write(`tessera ${name}: error ${failure.code}: ${failure.message}\n`);
    process.exit(1);
  }
}

await main(process.argv.slice(2));
