/**
 * libpg-query reports AST `location`s as UTF-8 byte offsets into the statement it parsed, but
 * error cursors as character (code point) offsets. Ranges in findings are UTF-16 offsets into the
 * file, so every position goes through one of these maps.
 */

/** Maps positions inside one statement to UTF-16 offsets in the file. */
export class StatementOffsets {
  private byteMap: Int32Array | undefined;
  private readonly ascii: boolean;

  constructor(
    readonly text: string,
    /** Offset of the statement in the file. */
    readonly base: number,
  ) {
    // eslint-disable-next-line no-control-regex
    this.ascii = !/[^\x00-\x7f]/.test(text);
  }

  /** UTF-8 byte offset in the statement → UTF-16 offset in the file. */
  fromByte(byte: number): number {
    if (this.ascii) return this.base + byte;
    const map = (this.byteMap ??= buildByteMap(this.text));
    return this.base + (map[Math.min(byte, map.length - 1)] ?? 0);
  }

  /** Code point offset in the statement → UTF-16 offset in the file. */
  fromCodePoint(index: number): number {
    if (this.ascii) return this.base + index;
    let units = 0;
    for (let cp = 0; cp < index && units < this.text.length; cp++) {
      const c = this.text.charCodeAt(units);
      units += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    }
    return this.base + units;
  }

  /** UTF-16 offset in the file → offset in the statement text. */
  local(fileOffset: number): number {
    return fileOffset - this.base;
  }
}

function buildByteMap(text: string): Int32Array {
  const map = new Int32Array(Buffer.byteLength(text, 'utf8') + 1);
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) width = 4;
    else if (c >= 0x800) width = 3;
    else if (c >= 0x80) width = 2;
    for (let k = 0; k < width; k++) map[byte + k] = i;
    byte += width;
    if (width === 4) i++;
  }
  map[byte] = text.length;
  return map;
}
