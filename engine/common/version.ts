/** The version every node reports, from package.json. */
import packageJson from '../../package.json' with { type: 'json' };

export const TESSERA_VERSION: string = packageJson.version;
