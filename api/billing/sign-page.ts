/**
 * The public signing page: one self-contained Hebrew RTL HTML document
 * (inline CSS and script under a nonce CSP, no external requests) with the
 * contract text, the signer's details and a canvas to draw the signature.
 */
import type { TSigningView } from "../services/contracts/sign-contract";

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:"Noto Sans Hebrew",Arial,sans-serif;background:#f4f5f7;color:#1b1d22;line-height:1.6}
main{max-width:760px;margin:0 auto;padding:24px 16px}
.card{background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.08);padding:24px;margin-bottom:16px}
h1{font-size:1.5rem;margin:0 0 4px}.biz{color:#5b6070;margin:0 0 16px}
.body p{margin:0 0 12px}.ph{background:#fff3c4;border-radius:4px;padding:0 4px}
label{display:block;font-weight:600;margin:12px 0 4px}input{width:100%;padding:10px;border:1px solid #c9ccd4;border-radius:8px;font-size:1rem}
canvas{width:100%;height:180px;border:2px dashed #9aa0ad;border-radius:8px;background:#fff;touch-action:none;display:block}
.row{display:flex;gap:8px;margin-top:16px}button{font-size:1rem;padding:10px 20px;border-radius:8px;border:0;cursor:pointer}
.primary{background:#2456d3;color:#fff}.secondary{background:#e6e8ee}.err{color:#b42318;margin-top:12px;min-height:1.5em}
.done{text-align:center}.done h1{color:#137333}`;

function page(title: string, inner: string, nonce: string, script = ""): string {
  return `<!doctype html><html lang="he" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style nonce="${nonce}">${STYLE}</style></head>
<body><main>${inner}</main>${script ? `<script nonce="${nonce}">${script}</script>` : ""}</body></html>`;
}

/** Paragraphs of the contract; {{placeholders}} the signer fills are shown as highlighted blanks. */
function renderBody(body: string): string {
  // The text already says "ת.ז." / "מכתובת" before the blank: the blank says only where it is filled.
  const labels: Record<string, string> = { clientIdNumber: "ימולא בטופס למטה", clientAddress: "תמולא בטופס למטה" };
  return body
    .split("\n")
    .map((p) => `<p>${escapeHtml(p).replace(/\{\{(\w+)\}\}/g, (_m, k: string) => `<span class="ph">${escapeHtml(labels[k] ?? "…")}</span>`)}</p>`)
    .join("");
}

/**
 * The signature pad. Strokes are kept as points in fractions of the pad's
 * size, so a resize or an orientation change (which clears a canvas) redraws
 * what was signed at the new size instead of losing it. Pointer events cover
 * mouse, pen and touch (touch-action:none stops the page scrolling under the
 * finger); a cancelled pointer (e.g. a palm, a system gesture) ends its stroke.
 */
const SCRIPT = `
const c=document.getElementById('pad'),x=c.getContext('2d');const strokes=[];let cur=null;
function paint(){const w=c.width/(window.devicePixelRatio||1),h=c.height/(window.devicePixelRatio||1);x.clearRect(0,0,w,h);
for(const s of strokes){if(!s.length)continue;x.beginPath();x.moveTo(s[0][0]*w,s[0][1]*h);if(s.length===1)x.lineTo(s[0][0]*w+0.1,s[0][1]*h);for(let i=1;i<s.length;i++)x.lineTo(s[i][0]*w,s[i][1]*h);x.stroke()}}
function fit(){const r=c.getBoundingClientRect(),d=window.devicePixelRatio||1;if(!r.width||!r.height)return;c.width=Math.round(r.width*d);c.height=Math.round(r.height*d);x.setTransform(d,0,0,d,0,0);x.lineWidth=2.5;x.lineCap='round';x.lineJoin='round';x.strokeStyle='#111';paint()}
fit();window.addEventListener('resize',fit);window.addEventListener('orientationchange',fit);if(window.ResizeObserver)new ResizeObserver(fit).observe(c);
function pos(e){const r=c.getBoundingClientRect();return[(e.clientX-r.left)/r.width,(e.clientY-r.top)/r.height]}
c.addEventListener('pointerdown',e=>{e.preventDefault();document.getElementById('err').textContent='';try{c.setPointerCapture(e.pointerId)}catch(_){}cur=[pos(e)];strokes.push(cur);paint()});
c.addEventListener('pointermove',e=>{if(!cur)return;e.preventDefault();const ev=e.getCoalescedEvents?e.getCoalescedEvents():[e];for(const p of (ev.length?ev:[e]))cur.push(pos(p));paint()});
function end(){cur=null}c.addEventListener('pointerup',end);c.addEventListener('pointercancel',end);c.addEventListener('lostpointercapture',end);
const ink=()=>strokes.reduce((n,s)=>n+s.length,0);
document.getElementById('clear').addEventListener('click',()=>{strokes.length=0;cur=null;paint()});
document.getElementById('f').addEventListener('submit',async e=>{e.preventDefault();const err=document.getElementById('err');err.textContent='';
if(ink()<3){err.textContent='יש לחתום בתוך המסגרת';return}
const b=document.getElementById('send');b.disabled=true;
const body={signerName:f.signerName.value,idNumber:f.idNumber.value,address:f.address.value,signature:c.toDataURL('image/png')};
try{const r=await fetch(location.pathname,{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(body)});const j=await r.json();
if(r.ok){document.querySelector('main').innerHTML='<div class="card done" data-testid="signed"><h1>החוזה נחתם בהצלחה</h1><p>עותק חתום נשמר במשרד. תודה!</p></div>'}
else{err.textContent=(j.error&&j.error.message)||'החתימה נכשלה';b.disabled=false}}catch(_){err.textContent='אין חיבור, נסו שוב';b.disabled=false}});`;

/** The page for a link that can still be signed. */
export function signPageHtml(view: TSigningView, nonce: string): string {
  const inner = `<div class="card"><h1>${escapeHtml(view.title)}</h1><p class="biz">${escapeHtml(view.businessName)}</p><div class="body">${renderBody(view.body)}</div></div>
<form class="card" id="f" novalidate>
<label for="signerName">שם מלא</label><input id="signerName" name="signerName" autocomplete="name" required>
<label for="idNumber">מספר תעודת זהות</label><input id="idNumber" name="idNumber" inputmode="numeric" dir="ltr" maxlength="9" required>
<label for="address">כתובת</label><input id="address" name="address" autocomplete="street-address" required>
<label>חתימה</label><canvas id="pad" aria-label="משטח חתימה"></canvas>
<div class="row"><button type="submit" class="primary" id="send">חתימה ושליחה</button><button type="button" class="secondary" id="clear">ניקוי</button></div>
<div class="err" id="err" role="alert"></div></form>`;
  return page(view.title, inner, nonce, SCRIPT);
}

/** A short Hebrew message page (already signed, expired, unknown link). */
export function messagePageHtml(title: string, message: string, nonce: string): string {
  return page(title, `<div class="card done"><h1>${escapeHtml(title)}</h1><p data-testid="message">${escapeHtml(message)}</p></div>`, nonce);
}
