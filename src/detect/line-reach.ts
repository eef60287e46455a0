// How many line breaks one match of a pattern can hold: what lets an edit be matched in windows around its changed lines.

/** What a windowed match of an edit needs to know of a rule's pattern. */
export interface LineReach {
  /** Most line breaks one match can hold; Infinity when unbounded (`\s*`, `[^x]+`, `(?s).*`) or not understood. */
  breaks: number;
  /** `^` outside multi-line mode or `\A`: the pattern sees where the text starts, and a window would be a false start. */
  startAnchored: boolean;
}

/**
 * The line reach of an RE2 pattern (the syntax the catalogue and gitleaks configs use). Conservative: whatever
 * it does not understand counts as unbounded, so the rule is matched on the whole text.
 */
export function lineReach(pattern: string): LineReach {
  try {
    const parser = new Parser(pattern);
    const breaks = parser.alternation({ multiLine: false, dotAll: false });
    if (parser.at < pattern.length) return UNBOUNDED;
    return { breaks, startAnchored: parser.startAnchored };
  } catch {
    return UNBOUNDED;
  }
}

const UNBOUNDED: LineReach = { breaks: Infinity, startAnchored: true };
const NL = 10;

interface Flags {
  multiLine: boolean;
  dotAll: boolean;
}

class NotUnderstood extends Error {}

/** Recursive descent over the pattern: each node's value is the most line breaks it can consume. */
class Parser {
  at = 0;
  startAnchored = false;

  constructor(private readonly src: string) {}

  alternation(flags: Flags): number {
    let most = this.sequence({ ...flags });
    while (this.src[this.at] === '|') {
      this.at++;
      most = Math.max(most, this.sequence({ ...flags }));
    }
    return most;
  }

  /** A run of atoms with their quantifiers; `(?m)`-style flags change `flags` for the rest of the run. */
  private sequence(flags: Flags): number {
    let sum = 0;
    while (this.at < this.src.length && this.src[this.at] !== '|' && this.src[this.at] !== ')') {
      const atom = this.atom(flags);
      sum += this.quantified(atom);
    }
    return sum;
  }

  private quantified(atom: number): number {
    const c = this.src[this.at];
    let most: number;
    if (c === '*' || c === '+') {
      this.at++;
      most = atom > 0 ? Infinity : 0;
    } else if (c === '?') {
      this.at++;
      most = atom;
    } else {
      const m = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.at)) : null;
      if (!m) return atom;
      this.at += m[0].length;
      const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
      most = atom === 0 ? 0 : atom * max;
    }
    if (this.src[this.at] === '?') this.at++; // lazy: the same reach
    else if (this.at < this.src.length && '*+?{'.includes(this.src[this.at]!)) throw new NotUnderstood();
    return most;
  }

  private atom(flags: Flags): number {
    const c = this.src[this.at++]!;
    switch (c) {
      case '(':
        return this.group(flags);
      case '[':
        return this.charClass() ? 1 : 0;
      case '\\':
        return this.escape();
      case '.':
        return flags.dotAll ? 1 : 0;
      case '^':
        if (!flags.multiLine) this.startAnchored = true;
        return 0;
      case '$':
        return 0;
      case '*':
      case '+':
      case '?':
        throw new NotUnderstood();
      default:
        return c.charCodeAt(0) === NL ? 1 : 0;
    }
  }

  private group(flags: Flags): number {
    let inner = { ...flags };
    if (this.src[this.at] === '?') {
      const m = /^\?(?::|P?<[A-Za-z_][A-Za-z0-9_]*>|([imsU]*)(?:-([imsU]*))?([:)]))/.exec(this.src.slice(this.at));
      if (!m) throw new NotUnderstood(); // lookaround and the like: RE2 has none
      this.at += m[0].length;
      if (m[3] !== undefined) {
        const set = (on: string | undefined, value: boolean, to: Flags): void => {
          if (on?.includes('m')) to.multiLine = value;
          if (on?.includes('s')) to.dotAll = value;
        };
        const target = m[3] === ')' ? flags : inner;
        set(m[1], true, target);
        set(m[2], false, target);
        if (m[3] === ')') return 0;
        inner = { ...target };
      }
    }
    const most = this.alternation(inner);
    if (this.src[this.at++] !== ')') throw new NotUnderstood();
    return most;
  }

  /** An escape outside a class: 1 when it can match a line break. */
  private escape(): number {
    const c = this.src[this.at++];
    if (c === undefined) throw new NotUnderstood();
    if (c === 'A') {
      this.startAnchored = true;
      return 0;
    }
    if ('bBz'.includes(c)) return 0;
    if ('dwtrfvS'.includes(c)) return 0;
    if ('nsWD'.includes(c)) return 1;
    const code = this.codeEscape(c);
    if (code !== undefined) return code === NL ? 1 : 0;
    if (/[A-Za-z0-9]/.test(c)) throw new NotUnderstood();
    return 0; // an escaped punctuation character
  }

  /** `\xHH`, `\x{H..}`, `\uHHHH`: the code point; undefined for another escape. */
  private codeEscape(c: string): number | undefined {
    if (c !== 'x' && c !== 'u') return undefined;
    const m = (c === 'x' ? /^(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{2}))/ : /^(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{4}))/).exec(this.src.slice(this.at));
    if (!m) throw new NotUnderstood();
    this.at += m[0].length;
    return parseInt(m[1] ?? m[2]!, 16);
  }

  /** A bracketed class (after `[`): whether it can match a line break. */
  private charClass(): boolean {
    const negated = this.src[this.at] === '^';
    if (negated) this.at++;
    let newline = false;
    let first = true;
    while (this.src[this.at] !== ']' || first) {
      if (this.at >= this.src.length) throw new NotUnderstood();
      first = false;
      const item = this.classItem();
      if (item === 'newline') {
        newline = true;
        continue;
      }
      if (item === 'other') continue;
      if (this.src[this.at] === '-' && this.src[this.at + 1] !== ']') {
        this.at++;
        const to = this.classItem();
        if (typeof to !== 'number') throw new NotUnderstood();
        if (item <= NL && NL <= to) newline = true;
      } else if (item === NL) newline = true;
    }
    this.at++;
    return negated ? !newline : newline;
  }

  /** One member of a class: a code point, a set that holds a line break, or one that does not. */
  private classItem(): number | 'newline' | 'other' {
    if (this.src.startsWith('[:', this.at)) {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.at));
      if (!m) throw new NotUnderstood();
      this.at += m[0].length;
      const holds = m[2] === 'space' || m[2] === 'cntrl';
      return holds !== (m[1] === '^') ? 'newline' : 'other';
    }
    const c = this.src[this.at++]!;
    if (c !== '\\') return c.codePointAt(0)!;
    const e = this.src[this.at++];
    if (e === undefined) throw new NotUnderstood();
    if ('sWDS'.includes(e)) return e === 'S' ? 'other' : 'newline';
    if ('dw'.includes(e)) return 'other';
    const named: Record<string, number> = { n: NL, t: 9, r: 13, f: 12, v: 11 };
    if (named[e] !== undefined) return named[e]!;
    const code = this.codeEscape(e);
    if (code !== undefined) return code;
    if (/[A-Za-z0-9]/.test(e)) throw new NotUnderstood();
    return e.codePointAt(0)!;
  }
}
