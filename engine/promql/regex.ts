/**
 * Prometheus regular expressions (RE2 syntax, always fully anchored) as JavaScript RegExps.
 * The two differ mostly in flag groups: a leading `(?i)` becomes the `i` flag, and a scoped
 * `(?i:...)` (which Node 20 cannot parse) is rewritten so each letter inside matches both
 * cases. `.` matches newlines, as in Prometheus (`s` flag).
 */

function bothCases(ch: string): string {
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  return lower === upper ? ch : `[${lower}${upper}]`;
}

/** Rewrites `(?i:...)` groups into case-insensitive character classes. */
function expandScopedFlags(pattern: string): string {
  let out = '';
  let insensitiveDepth = 0;
  const stack: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += insensitiveDepth > 0 && /[a-zA-Z]/.test(ch) ? ch.toLowerCase() + ch.toUpperCase() : ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      continue;
    }
    if (ch === '(') {
      if (pattern.startsWith('(?i)', i)) {
        // A flag group in the middle: the rest of the enclosing group is case-insensitive.
        if (stack.length > 0 && !stack[stack.length - 1]) {
          stack[stack.length - 1] = true;
          insensitiveDepth++;
        } else if (stack.length === 0) insensitiveDepth++;
        i += 3;
        continue;
      }
      if (pattern.startsWith('(?i:', i)) {
        stack.push(true);
        insensitiveDepth++;
        out += '(?:';
        i += 3;
        continue;
      }
      stack.push(false);
      out += ch;
      continue;
    }
    if (ch === ')') {
      if (stack.pop()) insensitiveDepth--;
      out += ch;
      continue;
    }
    out += insensitiveDepth > 0 ? bothCases(ch) : ch;
  }
  return out;
}

/** A fully anchored RegExp for a Prometheus regex; throws SyntaxError when it does not compile. */
export function promqlRegex(pattern: string): RegExp {
  let flags = 's';
  let body = pattern;
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    if (leading[1].includes('i')) flags += 'i';
    body = body.slice(leading[0].length);
  }
  if (body.includes('(?i')) body = expandScopedFlags(body);
  return new RegExp(`^(?:${body})$`, flags);
}
