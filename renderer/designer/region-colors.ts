/** A colour per region: hues a golden angle apart, so neighbours differ; theme.css sets lightness per theme. */
export function regionHue(region: number): number {
  return Math.round((region * 137.508 + 210) % 360);
}

/** Inline custom property the stylesheet turns into fills for light and dark. */
export function regionStyle(region: number): Record<string, string> {
  return { '--region-hue': String(regionHue(region)) };
}
