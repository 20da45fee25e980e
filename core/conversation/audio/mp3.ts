import { Mp3Encoder } from "@breezystack/lamejs";

/** Encode mono PCM16 to MP3 (for Twilio <Play> and the dashboard's "listen" preview). */
export function encodeMp3(pcm: Int16Array, sampleRate: number, kbps = 48): Uint8Array<ArrayBuffer> {
  const encoder = new Mp3Encoder(1, sampleRate, kbps);
  const chunks: Uint8Array[] = [];
  const block = 1152;
  for (let i = 0; i < pcm.length; i += block) {
    const out = encoder.encodeBuffer(pcm.subarray(i, i + block));
    if (out.length) chunks.push(new Uint8Array(out));
  }
  const tail = encoder.flush();
  if (tail.length) chunks.push(new Uint8Array(tail));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const mp3 = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    mp3.set(c, o);
    o += c.length;
  }
  return mp3;
}
