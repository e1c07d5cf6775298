/**
 * Binding powers of SQL operators, shared by the parser and the printer so that what one
 * groups the other parenthesizes. The numbers are sqlparser-rs's (what DataFusion, and so
 * GreptimeDB, uses); a higher number binds tighter:
 *
 *     OR 5 < AND 10 < NOT 15 < JSON ops, @@ 16 < IS 17 < LIKE 19 < comparison, IN, BETWEEN 20
 *     < | 21 < ^ << >> 22 < & 23 < XOR 24 < + - 30 < * / % || DIV 40 < AT TIME ZONE 41
 *     < :: and [] 50 < RANGE 255
 */
/** Binding powers by operator group. */
export const Precedence = {
  Or: 5,
  And: 10,
  UnaryNot: 15,
  PgOther: 16,
  Is: 17,
  Like: 19,
  Eq: 20,
  Between: 20,
  Pipe: 21,
  Caret: 22,
  Ampersand: 23,
  Xor: 24,
  PlusMinus: 30,
  MulDivMod: 40,
  AtTimeZone: 41,
  DoubleColon: 50,
  Range: 255,
} as const;
