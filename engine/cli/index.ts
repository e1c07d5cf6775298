/** cli: the `tessera` command (serve, metasrv, frontend, datanode). The entry is main.ts. */
export { commands } from './commands.ts';
export type { Command } from './commands.ts';
