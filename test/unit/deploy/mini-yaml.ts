// Reads the YAML subset cloudbuild.yaml keeps to (no YAML parser is a declared dependency); anything else throws with its line.

// The subset: block maps and sequences, plain and quoted scalars, `|` literal blocks, full-line comments.

export type YamlValue = string | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  readonly no: number;
  readonly indent: number;
  readonly text: string;
}

const KEY = /^([A-Za-z_][\w.-]*):(?: +(.*))?$/;

export function parseYaml(source: string): YamlValue {
  const raw = source.replace(/\r\n/g, '\n').split('\n');
  const reader = new Reader(raw);
  const first = reader.peek();
  if (!first) return {};
  const value = reader.node(first.indent);
  const rest = reader.peek();
  if (rest) throw new Error(`line ${rest.no}: unexpected indentation`);
  return value;
}

class Reader {
  private i = 0;
  constructor(private readonly raw: string[]) {}

  /** The next meaningful line (blank and comment lines skipped), without consuming it. */
  peek(): Line | undefined {
    while (this.i < this.raw.length) {
      const text = this.raw[this.i]!;
      const trimmed = text.trim();
      if (trimmed !== '' && !trimmed.startsWith('#')) {
        if (/^\s*\t/.test(text)) throw new Error(`line ${this.i + 1}: tabs are not YAML indentation`);
        return { no: this.i + 1, indent: text.length - text.trimStart().length, text: trimmed };
      }
      this.i += 1;
    }
    return undefined;
  }

  node(indent: number): YamlValue {
    const line = this.peek()!;
    return line.text === '-' || line.text.startsWith('- ') ? this.sequence(indent) : this.map(indent);
  }

  private sequence(indent: number): YamlValue[] {
    const items: YamlValue[] = [];
    for (let line = this.peek(); line && line.indent === indent && (line.text === '-' || line.text.startsWith('- ')); line = this.peek()) {
      const rest = line.text.slice(1).trimStart();
      if (rest === '') {
        this.i += 1;
        items.push(this.child(indent, line.no));
      } else if (KEY.test(rest)) {
        // "- key: value" opens a map whose keys sit where "key" sits.
        this.raw[this.i] = `${' '.repeat(indent + 2)}${rest}`;
        items.push(this.map(indent + 2));
      } else {
        this.i += 1;
        items.push(this.value(rest, indent, line.no));
      }
    }
    return items;
  }

  private map(indent: number): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    for (let line = this.peek(); line && line.indent === indent; line = this.peek()) {
      const match = KEY.exec(line.text);
      if (!match) throw new Error(`line ${line.no}: expected "key: value", got ${JSON.stringify(line.text)}`);
      const key = match[1]!;
      if (key in out) throw new Error(`line ${line.no}: duplicate key ${key}`);
      this.i += 1;
      out[key] = match[2] === undefined ? this.child(indent, line.no) : this.value(match[2], indent, line.no);
    }
    return out;
  }

  /** The block under a "key:" or "-": deeper lines, or a sequence at the same indent (compact style). */
  private child(indent: number, no: number): YamlValue {
    const next = this.peek();
    if (next && (next.indent > indent || (next.indent === indent && next.text.startsWith('- ')))) return this.node(next.indent);
    throw new Error(`line ${no}: empty values are not supported; write ''`);
  }

  private value(text: string, indent: number, no: number): YamlValue {
    if (text === '|' || text === '|-') return this.literal(indent, text === '|');
    return scalar(text, no);
  }

  private literal(indent: number, keepNewline: boolean): string {
    const lines: string[] = [];
    let blockIndent: number | undefined;
    while (this.i < this.raw.length) {
      const text = this.raw[this.i]!;
      if (text.trim() === '') {
        lines.push('');
        this.i += 1;
        continue;
      }
      const lineIndent = text.length - text.trimStart().length;
      if (lineIndent <= indent) break;
      blockIndent ??= lineIndent;
      if (lineIndent < blockIndent) throw new Error(`line ${this.i + 1}: literal block line is less indented than its first line`);
      lines.push(text.slice(blockIndent));
      this.i += 1;
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n') + (keepNewline ? '\n' : '');
  }
}

function scalar(text: string, no: number): string {
  if (text.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(text)) throw new Error(`line ${no}: unterminated single-quoted string`);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new Error(`line ${no}: unsupported double-quoted string`);
    }
  }
  if (/^[[{&*!>%@`]/.test(text) || text.includes(' #')) {
    throw new Error(`line ${no}: flow collections, anchors, tags, folded blocks and trailing comments are not supported`);
  }
  return text;
}
