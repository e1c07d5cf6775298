#!/usr/bin/env node
// `npm run build`: typechecks every environment. The engine runs from source through tsx
// (no emit needed); the renderer and the desktop shell add their bundling steps here as
// they arrive.
import { spawnSync } from 'node:child_process';

const result = spawnSync('npm', ['run', 'typecheck'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
