/**
 * Process entry for a datanode forked by a local cluster (engine/cluster). Arguments:
 * `--metasrv ws://host:port --data-home DIR [--host H] [--port P] [--object-store URL]`; the cluster token comes
 * in the TESSERA_CLUSTER_TOKEN environment variable, never on the command line (where `ps`
 * would show it).
 */
import { parseArgs } from 'node:util';
import { runDatanodeProcess } from './run-process.ts';

const { values } = parseArgs({
  options: {
    metasrv: { type: 'string' },
    'data-home': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'object-store': { type: 'string' },
  },
});
const token = process.env.TESSERA_CLUSTER_TOKEN;
if (!values.metasrv || !values['data-home'] || !token) {
  process.stderr.write('datanode: --metasrv, --data-home and TESSERA_CLUSTER_TOKEN are required\n');
  process.exit(2);
}
await runDatanodeProcess({
  metasrvUrl: values.metasrv,
  dataHome: values['data-home'],
  token,
  ...(values.host ? { host: values.host } : {}),
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(values['object-store'] ? { objectStore: values['object-store'] } : {}),
});
