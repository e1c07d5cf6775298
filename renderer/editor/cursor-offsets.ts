/** The last cursor offset of each tab's editor, so toolbar buttons run the statement under it. */
export const cursorOffsets = new Map<string, number>();
