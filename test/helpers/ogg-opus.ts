/**
 * Builds a valid Ogg Opus file (RFC 7845: OpusHead, OpusTags, audio pages
 * with CRC and granule positions) carrying `durationMs` of 20 ms Opus
 * packets, the container WhatsApp voice notes use. Packets are TOC-only
 * (code 0, zero-length frame), which decoders render as silence: enough to
 * drive the real container parser and decoder without an encoder.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let crc = 0;
  for (const b of bytes) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]!) >>> 0;
  return crc >>> 0;
}

function page(packets: Uint8Array[], opts: { granule: bigint; serial: number; seq: number; bos?: boolean; eos?: boolean }): Uint8Array {
  const segments: number[] = [];
  for (const p of packets) {
    let n = p.length;
    while (n >= 255) {
      segments.push(255);
      n -= 255;
    }
    segments.push(n);
  }
  const body = packets.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(27 + segments.length + body);
  const v = new DataView(out.buffer);
  out.set([0x4f, 0x67, 0x67, 0x53], 0); // "OggS"
  out[4] = 0;
  out[5] = (opts.bos ? 2 : 0) | (opts.eos ? 4 : 0);
  v.setBigInt64(6, opts.granule, true);
  v.setUint32(14, opts.serial, true);
  v.setUint32(18, opts.seq, true);
  out[26] = segments.length;
  out.set(segments, 27);
  let off = 27 + segments.length;
  for (const p of packets) {
    out.set(p, off);
    off += p.length;
  }
  v.setUint32(22, crc32(out), true);
  return out;
}

export function oggOpusSilence(durationMs: number): Uint8Array {
  const serial = 0x4b534852;
  const head = new Uint8Array(19);
  head.set(new TextEncoder().encode("OpusHead"), 0);
  const hv = new DataView(head.buffer);
  head[8] = 1; // version
  head[9] = 1; // mono
  hv.setUint16(10, 312, true); // pre-skip
  hv.setUint32(12, 48_000, true);
  hv.setInt16(16, 0, true);
  head[18] = 0; // mapping family
  const vendor = new TextEncoder().encode("kesher-test");
  const tags = new Uint8Array(8 + 4 + vendor.length + 4);
  tags.set(new TextEncoder().encode("OpusTags"), 0);
  new DataView(tags.buffer).setUint32(8, vendor.length, true);
  tags.set(vendor, 12);

  const pages = [page([head], { granule: 0n, serial, seq: 0, bos: true }), page([tags], { granule: 0n, serial, seq: 1 })];
  const frames = Math.max(1, Math.round(durationMs / 20));
  const perPage = 50;
  let granule = 0n;
  for (let i = 0, seq = 2; i < frames; i += perPage, seq++) {
    const n = Math.min(perPage, frames - i);
    // TOC 0xF8: config 31 (CELT fullband 20 ms), mono, code 0.
    const packets = Array.from({ length: n }, () => new Uint8Array([0xf8]));
    granule += BigInt(n * 960);
    pages.push(page(packets, { granule, serial, seq, eos: i + n >= frames }));
  }
  const total = pages.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of pages) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
