/**
 * The 8-byte header of a DLC `model` / `model.params` entry: `D5 0A <major u16le> <minor u16le> 00 00`.
 * Seen: 2.5 (SNPE 1.19), 3.0 (SNPE 1.35–1.6x), 4.0 (SNPE 2.x, QAIRT 2.25), 4.1 (QAIRT 2.42).
 * A bare FlatBuffer without the header is accepted too (its identifier tells the version).
 */

export interface DlcHeader {
  readonly major: number;
  readonly minor: number;
  /** Where the body starts (8 with a header, 0 for a bare FlatBuffer). */
  readonly bodyOffset: number;
  /** False when the entry had no header (bare FlatBuffer). */
  readonly present: boolean;
}

export const KNOWN_MAJORS: readonly number[] = [2, 3, 4];

export function readHeader(bytes: Uint8Array): DlcHeader | undefined {
  if (bytes.length >= 8 && bytes[0] === 0xd5 && bytes[1] === 0x0a) {
    const major = bytes[2]! | (bytes[3]! << 8);
    const minor = bytes[4]! | (bytes[5]! << 8);
    return { major, minor, bodyOffset: 8, present: true };
  }
  return undefined;
}

/** The FlatBuffer file identifier (bytes 4..8 of the body): `NETD`, `NETP`, `NR64`, or ''. */
export function bodyIdentifier(body: Uint8Array): string {
  if (body.length < 8) return '';
  const id = String.fromCharCode(body[4]!, body[5]!, body[6]!, body[7]!);
  // Real identifiers: `NETD` (model), `NETP` (v3/v4.1 params), `NR64` (QAIRT 2.25 params).
  return /^[A-Z0-9]{4}$/.test(id) ? id : '';
}
