import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { loadEnv } from "../../env";
import { startTwilioRestDouble, type TTwilioRestDouble } from "../../test/doubles/twilio-rest";
import { createTwilioClient } from "./twilio-client";

const TOKEN = "double_auth_token_0123456789";

describe("createTwilioClient (real twilio SDK against the local REST double)", () => {
  let double: TTwilioRestDouble;
  beforeAll(async () => {
    double = await startTwilioRestDouble({ authToken: TOKEN });
  });
  afterAll(async () => {
    await double.close();
  });
  const config = (extra: Record<string, string> = {}) =>
    loadEnv({ NODE_ENV: "test", TWILIO_ACCOUNT_SID: double.accountSid, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_API_BASE_URL: double.baseUrl, ...extra }).twilio;

  test("null without credentials", () => {
    expect(createTwilioClient(loadEnv({ NODE_ENV: "test" }).twilio)).toBeNull();
  });

  test("messages.create reaches the double with auth, path and form body", async () => {
    const client = createTwilioClient(config())!;
    const msg = await client.messages.create({ from: "whatsapp:+97235550100", to: "whatsapp:+972541234567", body: "שלום מקשר" });
    expect(msg.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(msg.status).toBe("queued");
    const recorded = double.messages.find((m) => m.sid === msg.sid);
    expect(recorded?.body).toBe("שלום מקשר");
    expect(recorded?.to).toBe("whatsapp:+972541234567");
    expect(double.requests.at(-1)).toEqual({ method: "POST", path: `/2010-04-01/Accounts/${double.accountSid}/Messages.json`, host: "api.twilio.com" });
  });

  test("calls(sid).update sends Twiml for a redirect", async () => {
    const client = createTwilioClient(config())!;
    const call = await client.calls("CA_redirect_1").update({ twiml: "<Response><Hangup/></Response>" });
    expect(call.sid).toBe("CA_redirect_1");
    expect(double.callUpdates.at(-1)).toEqual({ callSid: "CA_redirect_1", params: { Twiml: "<Response><Hangup/></Response>" } });
  });

  test("a base URL with a path prefix keeps the prefix", async () => {
    const client = createTwilioClient(config({ TWILIO_API_BASE_URL: `${double.baseUrl}/nested/` }))!;
    await expect(client.messages.create({ from: "whatsapp:+1", to: "whatsapp:+2", body: "x" })).rejects.toMatchObject({ status: 404, code: 20404 });
    expect(double.requests.at(-1)?.path).toBe(`/nested/2010-04-01/Accounts/${double.accountSid}/Messages.json`);
  });

  test("wrong token → the SDK raises Twilio's RestException (401 / 20003)", async () => {
    const client = createTwilioClient(config({ TWILIO_AUTH_TOKEN: "wrong_token_0000000000" }))!;
    await expect(client.messages.create({ from: "whatsapp:+1", to: "whatsapp:+2", body: "x" })).rejects.toMatchObject({ status: 401, code: 20003 });
  });

  test("Twilio validation errors surface with their code", async () => {
    const client = createTwilioClient(config())!;
    double.failNextMessage(63016, "Failed to send freeform message because you are outside the allowed window.");
    await expect(client.messages.create({ from: "whatsapp:+1", to: "whatsapp:+2", body: "x" })).rejects.toMatchObject({ status: 400, code: 63016 });
  });
});
