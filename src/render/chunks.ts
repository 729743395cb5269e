/**
 * Big outputs (the verify JSON of an LLM, `show --format json`) are written in pieces: the text
 * never exists as one string (V8 strings stop near 512 MB) and each piece dies young.
 */

/**
 * Characters per piece written: well below V8's largest young-generation object (128 KB, and a
 * string with any non-Latin-1 character takes two bytes each). A bigger piece goes straight to the
 * old generation and stays until a full GC: at 2,000 rows a piece, `show --format json` of a 200 MB
 * LLM dump peaked at 375 MB RSS; in pieces this size, at the 165 MB the model itself takes.
 */
export const CHARS_PER_CHUNK = 32 * 1024;

/** The texts joined into pieces of about CHARS_PER_CHUNK characters (a longer text is one piece). */
export function* chunked(texts: Iterable<string>): Generator<string> {
  let parts: string[] = [];
  let chars = 0;
  for (const text of texts) {
    parts.push(text);
    chars += text.length;
    if (chars >= CHARS_PER_CHUNK) {
      yield parts.join('');
      parts = [];
      chars = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
