import { describe, expect, test } from "bun:test";
import { proto, type WAMessage } from "@whiskeysockets/baileys";
import { isIgnoredJid, jidToPhone, phoneToJid, toInboundMessage, toMessageStatus } from "./baileys-messages";

const msg = (key: WAMessage["key"], message: proto.IMessage, extra: Partial<WAMessage> = {}) => ({ key, message, messageTimestamp: 1_764_000_000, ...extra }) as WAMessage;
const OWN = "+97235550100";

describe("baileys message mapping", () => {
  test("phone ↔ JID, device suffix and LID alternates", () => {
    expect(phoneToJid("+972541234567")).toBe("972541234567@s.whatsapp.net");
    expect(jidToPhone("972541234567:12@s.whatsapp.net")).toBe("+972541234567");
    expect(jidToPhone("123456789@lid", "972541234567@s.whatsapp.net")).toBe("+972541234567");
    expect(jidToPhone("123456789@lid")).toBeNull();
  });

  test("groups, broadcasts and newsletters are ignored", () => {
    expect(isIgnoredJid("12036302@g.us")).toBe(true);
    expect(isIgnoredJid("status@broadcast")).toBe(true);
    expect(isIgnoredJid("1203@newsletter")).toBe(true);
    expect(isIgnoredJid("972541234567@s.whatsapp.net")).toBe(false);
    expect(toInboundMessage(msg({ remoteJid: "12036302@g.us", id: "G1", participant: "972541234567@s.whatsapp.net" }, { conversation: "hi" }), OWN)).toBeNull();
  });

  test("text, extended text and image caption become the body; timestamps and names kept", () => {
    const plain = toInboundMessage(msg({ remoteJid: "972541234567@s.whatsapp.net", id: "A1", fromMe: false }, { conversation: "שלום" }, { pushName: "דנה" }), OWN)!;
    expect(plain).toMatchObject({ providerMessageId: "A1", from: "+972541234567", to: OWN, body: "שלום", mediaType: null, profileName: "דנה", fromMe: false });
    expect(plain.sentAt.toISOString()).toBe(new Date(1_764_000_000_000).toISOString());
    const image = toInboundMessage(msg({ remoteJid: "972541234567@s.whatsapp.net", id: "A2" }, { imageMessage: { caption: "הסלון", mimetype: "image/jpeg" } }), OWN)!;
    expect(image).toMatchObject({ body: "הסלון", mediaType: "image", mediaMime: "image/jpeg" });
    const doc = toInboundMessage(msg({ remoteJid: "972541234567@s.whatsapp.net", id: "A3" }, { documentMessage: { mimetype: "application/pdf" } }), OWN)!;
    expect(doc).toMatchObject({ body: null, mediaType: "document" });
  });

  test("voice notes (ptt) are 'voice', other audio is 'audio'", () => {
    const ptt = toInboundMessage(msg({ remoteJid: "972541234567@s.whatsapp.net", id: "V1" }, { audioMessage: { ptt: true, mimetype: "audio/ogg; codecs=opus" } }), OWN)!;
    expect(ptt.mediaType).toBe("voice");
    const song = toInboundMessage(msg({ remoteJid: "972541234567@s.whatsapp.net", id: "V2" }, { audioMessage: { ptt: false, mimetype: "audio/mpeg" } }), OWN)!;
    expect(song.mediaType).toBe("audio");
  });

  test("protocol messages and reactions carry nothing; own messages are marked fromMe", () => {
    expect(toInboundMessage(msg({ remoteJid: "972541234567@s.whatsapp.net", id: "P1" }, { protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE } }), OWN)).toBeNull();
    expect(toInboundMessage(msg({ remoteJid: "972541234567@s.whatsapp.net", id: "R1" }, { reactionMessage: { text: "👍" } }), OWN)).toBeNull();
    const own = toInboundMessage(msg({ remoteJid: "972541234567@s.whatsapp.net", id: "O1", fromMe: true }, { conversation: "נדבר מחר" }), OWN)!;
    expect(own).toMatchObject({ fromMe: true, from: OWN, to: "+972541234567", peerPhone: "+972541234567" });
  });

  test("receipt statuses map forward; pending and unknown are ignored", () => {
    expect(toMessageStatus(proto.WebMessageInfo.Status.SERVER_ACK)).toBe("sent");
    expect(toMessageStatus(proto.WebMessageInfo.Status.DELIVERY_ACK)).toBe("delivered");
    expect(toMessageStatus(proto.WebMessageInfo.Status.READ)).toBe("read");
    expect(toMessageStatus(proto.WebMessageInfo.Status.PLAYED)).toBe("read");
    expect(toMessageStatus(proto.WebMessageInfo.Status.ERROR)).toBe("failed");
    expect(toMessageStatus(proto.WebMessageInfo.Status.PENDING)).toBeNull();
    expect(toMessageStatus(undefined)).toBeNull();
  });
});
