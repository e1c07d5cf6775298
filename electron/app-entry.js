// The desktop app's entry (what Electron runs: `electron electron/app-entry.js`, and the
// packaged app's `main`). The shell and the engine are TypeScript run from source, as under
// `tessera serve`: load tsx first, then the main process. With --launcher-contract it runs
// the ProcessLauncher contract against utility processes instead of opening the app.
import { register } from 'tsx/esm/api';

register();
await import(process.argv.includes('--launcher-contract') ? './launcher-contract-main.ts' : './main.ts');
