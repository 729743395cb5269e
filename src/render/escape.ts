/**
 * Text for the consumers that parse it: XML (JUnit), HTML, Markdown and JSON inside a
 * script element, with what XML 1.0 cannot carry dropped; plus the byte length and the stable hash
 * some formats need. Pure.
 */
/** Characters XML 1.0 forbids, and surrogates (allowed only in valid pairs). */
// eslint-disable-next-line no-control-regex
const MAYBE_INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

/**
 * Drops what XML 1.0 cannot carry at all, even escaped: C0 controls other than tab/LF/CR,
 * U+FFFE/U+FFFF and lone surrogates (a tensor name is user data; the report must still parse).
 */
export function stripInvalidXmlChars(text: string): string {
  // Almost every text has none of them: one native scan, then the character loop only if needed
  // (a surrogate may well be half of a valid pair: the loop decides).
  if (!MAYBE_INVALID_XML.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i++;
      }
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) continue;
    if (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) continue;
    if (c === 0xfffe || c === 0xffff) continue;
    out += text[i]!;
  }
  return out;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text and attribute values for XML. CR/LF/tab are written as character references so that they
 * survive attribute-value normalisation (a message attribute keeps its line breaks).
 */
export function escapeXml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"'\t\n\r]/g, (c) => XML_ESCAPES[c] ?? `&#${c.charCodeAt(0)};`);
}

/** Element text in XML (line breaks kept as they are). */
export function escapeXmlText(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>]/g, (c) => XML_ESCAPES[c]!);
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return stripInvalidXmlChars(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON to embed inside `<script>`: `</script>`, `<!--` and `]]>` cannot appear once `<`, `>` and
 * `&` are `\u` escapes, and U+2028/U+2029 (line terminators in old JS parsers) are escaped too.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** UTF-8 length of a string without encoding it (the step summary limit is in bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** FNV-1a, 64 bits, over UTF-16 code units: a small stable hash for fingerprints (not security). */
export function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
