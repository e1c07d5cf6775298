/**
 * A stable colour per table: the same table gets the same hue on every board, in every
 * session, so a table's regions are recognisable across columns. The hue comes from a hash of
 * the qualified name; the theme (theme.css) picks saturation and lightness around it.
 */

/** FNV-1a over the UTF-16 code units: cheap, and well spread for short names. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche so the low bits (taken by the modulo) depend on every character.
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 24 hues 15° apart: neighbours stay distinguishable, which a free 0–359 hue would not promise. */
const hueSteps = 24;

/** The hue (0–345, a multiple of 15) for a table, from `schema.table`. */
export function tableHue(schema: string, table: string): number {
  return (hash(`${schema}.${table}`) % hueSteps) * (360 / hueSteps);
}
