/**
 * When the caller is unhappy or needs a person: a complaint is acknowledged
 * and apologised for, logged for staff as a high-priority callback task, and
 * the caller chooses a person now or a callback; the listings on offer are
 * dropped so the same one is never offered again as if nothing was said.
 * Also: a message for staff, and an explicit "call me back".
 */
import { SAY } from "./phrases";
import { mergeSlots } from "./dialog-state";
import type { TDialogTurnOutput, TTurn } from "./dialog-kit";
import { describeWanted } from "./dialog-search";

async function logComplaint(tn: TTurn, extra?: string): Promise<void> {
  const { st } = tn;
  const wanted = describeWanted(tn);
  await tn.saveLead(undefined, `תלונה מהשיחה: ${st.complaint}`);
  await tn.callback({
    kind: "complaint",
    title: "תלונה: לחזור ללקוח היום",
    description: [`הלקוח/ה אמר/ה: "${st.complaint}"`, wanted ? `מחפש/ת: ${wanted}` : "", extra ?? ""].filter(Boolean).join("\n"),
    priority: "high",
  });
}

/** First words of anger: apologise, log it, and offer a person or a callback (or act on the one already asked for). */
export async function startComplaint(tn: TTurn): Promise<TDialogTurnOutput> {
  const { st, nlu, out } = tn;
  st.complaint = st.complaint ? `${st.complaint} / ${nlu.text}` : nlu.text;
  st.proposals = [];
  st.chosen = undefined;
  st.noExact = false;
  mergeSlots(st, nlu);
  out.push(SAY.complaintAck);
  if (nlu.human) {
    await logComplaint(tn, "ביקש/ה לדבר עם נציג");
    return tn.handOver("complaint: caller asked for a person", SAY.transfer);
  }
  if (nlu.callback || nlu.goodbye) {
    await logComplaint(tn);
    out.push(SAY.complaintLogged);
    if (nlu.goodbye) {
      await tn.input.callTool("end_call", { reason: "caller finished after a complaint" });
      st.stage = "done";
      return { sentences: [...out, SAY.goodbye(tn.input.businessName)], action: "hangup" };
    }
    return tn.anythingElse();
  }
  st.stage = "complaint";
  tn.ask("complaint");
  return tn.reply();
}

/** The answer to "a person now, or a callback?". Anything unclear still leaves the callback task: a complaint is never dropped. */
export async function complaintTurn(tn: TTurn): Promise<TDialogTurnOutput> {
  const { nlu, out } = tn;
  const wantsPerson = nlu.human || /(?:^|\s)(?:תעביר|תעבירי|להעביר|עכשיו)(?=$|[\s,.!?])/.test(nlu.text);
  if (wantsPerson && !nlu.callback) {
    await logComplaint(tn, "ביקש/ה לדבר עם נציג");
    return tn.handOver("complaint: caller asked for a person", SAY.transfer);
  }
  await logComplaint(tn);
  out.push(SAY.complaintLogged);
  return tn.anythingElse();
}

/** "תחזרו אליי": a callback task with what we know, then "anything else?". */
export async function requestCallback(tn: TTurn): Promise<TDialogTurnOutput> {
  const wanted = describeWanted(tn);
  await tn.saveLead(undefined);
  await tn.callback({ kind: "callback", title: "הלקוח/ה ביקש/ה שיחזרו אליו/ה", description: [`"${tn.nlu.text}"`, wanted].filter(Boolean).join("\n"), priority: "normal" });
  tn.out.push(SAY.callbackPromised);
  return tn.anythingElse();
}

/** The caller's message for staff (after "no agent can pick up now"). */
export async function takeMessage(tn: TTurn): Promise<TDialogTurnOutput> {
  const { st, nlu, out } = tn;
  mergeSlots(st, nlu);
  await tn.saveLead(undefined, `הודעה מהשיחה: ${nlu.text}`);
  await tn.callback({ kind: "callback", title: "הודעה מהשיחה: לחזור ללקוח", description: nlu.text, priority: "normal" });
  out.push(SAY.messageTaken);
  return tn.anythingElse();
}
