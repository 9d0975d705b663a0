/** Zero-based line and UTF-16 character, as LSP counts them. */
export interface TextPosition {
  line: number;
  character: number;
}

export interface TextRange {
  start: TextPosition;
  end: TextPosition;
}

/**
 * Offsets to lines and characters in one text, for embedded-SQL suppression comments and index
 * ranges alike. Line breaks are `\r\n`, `\n` or `\r`, as in LSP.
 */
export class TextPositions {
  private readonly starts: ArrayLike<number>;

  /** From a text, or from the `lineStarts()` kept of one (the text itself need not be kept). */
  constructor(text: string | Uint32Array) {
    if (typeof text !== 'string') {
      this.starts = text;
      return;
    }
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 13 && text.charCodeAt(i + 1) === 10) continue;
      if (ch === 10 || ch === 13) starts.push(i + 1);
    }
    this.starts = starts;
  }

  /** The offset each line starts at: a compact form to keep instead of the text. */
  lineStarts(): Uint32Array {
    return Uint32Array.from(this.starts);
  }

  /** The zero-based line the offset is on. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  position(offset: number): TextPosition {
    const line = this.lineAt(offset);
    return { line, character: offset - this.starts[line] };
  }

  range(start: number, end: number): TextRange {
    return { start: this.position(start), end: this.position(end) };
  }
}
