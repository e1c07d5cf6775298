// An ESLint rule that keeps dependencies pointing one way (DESIGN §1).
// Every relative import is resolved to the area it lands in (`engine/<module>`, `renderer`,
// `electron`, ...) and checked against the table in eslint.config.js; imports of another
// engine module must go through that module's index.ts, its public surface.
import { dirname, relative, resolve, sep } from 'node:path';

/** @param {string} path repository-relative, '/'-separated @returns {string} */
function areaOf(path) {
  const parts = path.split('/');
  if (parts[0] === 'engine' && parts.length > 2) return `engine/${parts[1]}`;
  return parts[0] ?? '';
}

/** @type {import('eslint').Rule.RuleModule} */
export const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Dependencies point one way; other modules are reached through their index.ts' },
    schema: [{ type: 'object' }],
  },
  create(context) {
    const {
      allowed,
      packages,
      entries,
      portableSurfaces = [],
      portableOnly = {},
      testPackages = [],
      seesInternals,
    } = /** @type {{ allowed: Record<string, string[]>, packages: Record<string, string[]>, entries: string[], portableSurfaces?: string[], portableOnly?: Record<string, string[]>, testPackages?: string[], seesInternals: string[] }} */ (
      context.options[0]
    );
    const root = context.cwd;
    const fromPath = relative(root, context.filename).split(sep).join('/');
    const fromArea = areaOf(fromPath);

    /** @param {import('estree').Node} node @param {string} source */
    function check(node, source) {
      if (!source.startsWith('.')) {
        const forbidden = packages[fromArea] ?? [];
        if (fromPath.endsWith('.test.ts') && testPackages.includes(source)) return;
        const name = source.startsWith('node:') ? 'node:' : (source.split('/')[0] ?? source);
        if (forbidden.includes(name) || forbidden.includes(source)) {
          context.report({
            node,
            message: `${fromArea} may not import '${source}': see the boundary table in eslint.config.js`,
          });
        }
        return;
      }
      const target = relative(root, resolve(dirname(context.filename), source))
        .split(sep)
        .join('/');
      const toArea = areaOf(target);
      // Files at the top of the repository (package.json) are data anyone may read.
      if (toArea === fromArea || !target.includes('/')) return;
      const permitted = allowed[fromArea];
      if (permitted && !permitted.includes(toArea)) {
        context.report({
          node,
          message: `${fromArea} may not depend on ${toArea} (allowed: ${permitted.join(', ') || 'nothing'}). Move the shared piece down, or call across the process boundary.`,
        });
        return;
      }
      // Areas without Node (the renderer) reach these modules only by their portable surfaces.
      if ((portableOnly[fromArea] ?? []).includes(toArea) && !portableSurfaces.includes(target)) {
        context.report({
          node,
          message: `${fromArea} may import ${toArea} only through its portable surface (${portableSurfaces.filter((p) => p.startsWith(`${toArea}/`)).join(', ')}), which has no Node APIs; not '${target}'.`,
        });
        return;
      }
      const throughIndex =
        target === `${toArea}/index.ts` ||
        entries.includes(target) ||
        portableSurfaces.includes(target) ||
        seesInternals.includes(fromArea);
      if (toArea.startsWith('engine/') && !throughIndex) {
        context.report({
          node,
          message: `Import ${toArea} through its public surface '${toArea}/index.ts', not '${target}'.`,
        });
      }
    }

    return {
      ImportDeclaration(node) {
        check(node, String(node.source.value));
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, String(node.source.value));
      },
      ExportAllDeclaration(node) {
        check(node, String(node.source.value));
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, String(node.source.value));
      },
    };
  },
};
