/**
 * The window's size and place, remembered between runs in a small JSON file under the
 * user-data folder. What comes back from disk is checked field by field and fitted onto the
 * displays present now: a window saved on a monitor since unplugged opens centred on the
 * primary display instead of off screen.
 */
import { readFileIfExists, writeFileAtomic } from '../engine/common/index.ts';

export interface WindowPlacement {
  /** Absent: let the system centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const minimumWindowSize = { width: 900, height: 600 } as const;
export const defaultWindowPlacement: WindowPlacement = { width: 1280, height: 820, maximized: false };

/** How much of a window must lie on some display for its saved position to be kept. */
const visibleEnough = { width: 120, height: 60 };

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The placement in a saved file's text, or the default when it is missing, corrupt or of the wrong shape. */
export function parseWindowPlacement(text: string | undefined): WindowPlacement {
  if (text === undefined) return { ...defaultWindowPlacement };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ...defaultWindowPlacement };
  }
  if (typeof value !== 'object' || value === null) return { ...defaultWindowPlacement };
  const saved = value as Record<string, unknown>;
  if (!isFiniteNumber(saved.width) || !isFiniteNumber(saved.height)) return { ...defaultWindowPlacement };
  const placement: WindowPlacement = {
    width: Math.round(saved.width),
    height: Math.round(saved.height),
    maximized: saved.maximized === true,
  };
  if (isFiniteNumber(saved.x) && isFiniteNumber(saved.y)) {
    placement.x = Math.round(saved.x);
    placement.y = Math.round(saved.y);
  }
  return placement;
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Fits a placement onto the displays' work areas (the first is the primary): the size is
 * kept between the minimum and the largest work area, and the position only when enough of
 * the window would be visible on one of them.
 */
export function fitWindowPlacement(placement: WindowPlacement, workAreas: readonly Rectangle[]): WindowPlacement {
  const largest = workAreas.reduce(
    (size, area) => ({ width: Math.max(size.width, area.width), height: Math.max(size.height, area.height) }),
    { width: 0, height: 0 },
  );
  const limit = workAreas.length > 0 ? largest : { width: Infinity, height: Infinity };
  const width = Math.max(minimumWindowSize.width, Math.min(placement.width, limit.width));
  const height = Math.max(minimumWindowSize.height, Math.min(placement.height, limit.height));
  const fitted: WindowPlacement = { width, height, maximized: placement.maximized };
  if (placement.x === undefined || placement.y === undefined) return fitted;
  const bounds = { x: placement.x, y: placement.y, width, height };
  const onScreen = workAreas.find((area) => {
    const shared = overlap(bounds, area);
    // The title bar (top edge) must be on the display, or the window cannot be dragged back.
    return shared.width >= visibleEnough.width && shared.height >= visibleEnough.height && bounds.y >= area.y;
  });
  if (onScreen) {
    fitted.x = placement.x;
    fitted.y = placement.y;
  }
  return fitted;
}

/** Reads and writes the placement file. Writes are atomic, so a crash never leaves a torn file. */
export class WindowStateStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async load(workAreas: readonly Rectangle[]): Promise<WindowPlacement> {
    return fitWindowPlacement(parseWindowPlacement(await readFileIfExists(this.path)), workAreas);
  }

  async save(placement: WindowPlacement): Promise<void> {
    await writeFileAtomic(this.path, JSON.stringify(placement, null, 2) + '\n');
  }
}
