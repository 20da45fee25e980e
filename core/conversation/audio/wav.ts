/** Minimal RIFF/WAVE reader and writer for PCM16 and μ-law payloads. */

export interface TWav {
  sampleRate: number;
  channels: number;
  /** 1 = PCM, 7 = μ-law. */
  format: number;
  bitsPerSample: number;
  data: Uint8Array;
}

/** True when the bytes start with a RIFF/WAVE header. */
export function isWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE";
}

/** Parse a WAV file; throws on anything that is not RIFF/WAVE with fmt and data chunks. */
export function parseWav(bytes: Uint8Array): TWav {
  if (!isWav(bytes)) throw new Error("not a RIFF/WAVE file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  let fmt: Omit<TWav, "data"> | undefined;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4);
    let size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") {
      fmt = {
        format: view.getUint16(body, true),
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!fmt) throw new Error("WAV data chunk before fmt chunk");
      // Streaming encoders (espeak, some TTS) write 0 or 0xFFFFFFFF as the data size.
      if (size === 0 || size === 0xffffffff || body + size > bytes.length) size = bytes.length - body;
      return { ...fmt, data: bytes.subarray(body, body + size) };
    }
    offset = body + size + (size & 1);
  }
  throw new Error("WAV without data chunk");
}

/** Strip a WAV header if present (Google's MULAW output carries one); raw bytes pass through. */
export function stripWavHeader(bytes: Uint8Array): Uint8Array {
  return isWav(bytes) ? parseWav(bytes).data : bytes;
}

/** PCM16 little-endian samples of a WAV data chunk (mono). */
export function wavToPcm16(wav: TWav): Int16Array {
  if (wav.format !== 1 || wav.bitsPerSample !== 16) throw new Error(`unsupported WAV format ${wav.format}/${wav.bitsPerSample}`);
  const samples = new Int16Array(Math.floor(wav.data.length / 2) / wav.channels);
  const view = new DataView(wav.data.buffer, wav.data.byteOffset, wav.data.byteLength);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2 * wav.channels, true);
  return samples;
}

/** Build a mono PCM16 WAV file. */
export function pcm16ToWav(samples: Int16Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(out.buffer);
  writeAscii(out, 0, "RIFF");
  v.setUint32(4, 36 + samples.length * 2, true);
  writeAscii(out, 8, "WAVE");
  writeAscii(out, 12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  writeAscii(out, 36, "data");
  v.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) v.setInt16(44 + i * 2, samples[i]!, true);
  return out;
}

function ascii(bytes: Uint8Array, start: number, len: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + len));
}
function writeAscii(bytes: Uint8Array, start: number, s: string): void {
  for (let i = 0; i < s.length; i++) bytes[start + i] = s.charCodeAt(i);
}
