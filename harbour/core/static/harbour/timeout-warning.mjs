// Inactivity warning before the server signs the user out (WCAG 2.2.1).
//
// The layout puts these on <body> when the user is signed in:
//   data-session-timeout-seconds="1800"
//   data-keep-alive-url="/accounts/keep-alive/"
//   data-sign-out-url="/accounts/sign-out/"
// Two minutes before the timeout we open a modal <dialog> with a
// "Stay signed in" button (POSTs to the keep-alive URL with the CSRF token in
// an X-CSRFToken header; any 2xx counts as success) and a "Sign out" link
// (clicking it POSTs to the sign-out URL, like the header's Sign out button).
// Escape also means "stay signed in". When time runs out we reload the page
// with a GET, and the server (which enforces the timeout anyway) sends the
// user to sign in. This is an enhancement: without JS nothing is shown.

const WARNING_SECONDS = 120;
// Shared between tabs so activity in one tab postpones the warning in the others.
const STORAGE_KEY = "harbour-session-expires-at";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function formatRemaining(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(s / 60);
  const rest = s % 60;
  const parts = [];
  if (minutes > 0) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest > 0 || minutes === 0) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function buildDialog(signOutUrl) {
  const dialog = el("dialog", {
    class: "harbour-timeout-dialog",
    "aria-labelledby": "harbour-timeout-heading",
    "aria-describedby": "harbour-timeout-text",
    tabindex: "-1",
  });
  const heading = el("h2", { class: "govuk-heading-m", id: "harbour-timeout-heading" },
    "You will be signed out soon");
  const text = el("p", { class: "govuk-body", id: "harbour-timeout-text" });
  const intro = document.createTextNode("We will sign you out in ");
  const time = el("strong", { class: "harbour-timeout-dialog__time" });
  const outro = document.createTextNode(" because you have not done anything. Any unsaved information will be lost.");
  text.append(intro, time, outro);
  // Screen readers: announce the remaining time only at whole minutes, not every second.
  const live = el("p", { class: "govuk-visually-hidden", "aria-live": "polite" });
  const buttons = el("div", { class: "govuk-button-group" });
  const stay = el("button", { type: "button", class: "govuk-button", "data-module": "govuk-button" },
    "Stay signed in");
  const signOut = el("a", { class: "govuk-link", href: signOutUrl }, "Sign out");
  buttons.append(stay, signOut);
  dialog.append(heading, text, live, buttons);
  document.body.append(dialog);
  return { dialog, time, live, stay, signOut };
}

export function start(root = document.body) {
  const timeoutSeconds = Number(root.dataset.sessionTimeoutSeconds);
  const keepAliveUrl = root.dataset.keepAliveUrl;
  const signOutUrl = root.dataset.signOutUrl;
  if (!timeoutSeconds || !keepAliveUrl || !signOutUrl) return;
  if (typeof HTMLDialogElement !== "function") return; // server still enforces the timeout

  const ui = buildDialog(signOutUrl);
  let expiresAt = Date.now() + timeoutSeconds * 1000;
  let warnTimer = null;
  let tickTimer = null;
  let lastFocus = null;
  let lastAnnouncedMinute = null;

  function share() {
    try {
      window.localStorage.setItem(STORAGE_KEY, String(expiresAt));
    } catch (error) {
      // Storage can be disabled; each tab then keeps its own clock.
    }
  }

  function schedule() {
    clearTimeout(warnTimer);
    const warnIn = Math.max(0, expiresAt - Date.now() - WARNING_SECONDS * 1000);
    warnTimer = setTimeout(open, warnIn);
  }

  function tick() {
    const remaining = (expiresAt - Date.now()) / 1000;
    if (remaining <= 0) {
      clearInterval(tickTimer);
      expired();
      return;
    }
    ui.time.textContent = formatRemaining(remaining);
    const minute = Math.ceil(remaining / 60);
    if (minute !== lastAnnouncedMinute) {
      lastAnnouncedMinute = minute;
      ui.live.textContent = `We will sign you out in ${formatRemaining(minute * 60)}.`;
    }
  }

  function expired() {
    // The server has ended the session: a fresh GET lands on the sign-in page.
    window.location.assign(window.location.href.split("#")[0]);
  }

  function signOut(event) {
    event.preventDefault();
    const form = el("form", { method: "post", action: signOutUrl, hidden: "" });
    const token = el("input", { type: "hidden", name: "csrfmiddlewaretoken", value: csrfToken() });
    form.append(token);
    document.body.append(form);
    form.submit();
  }

  function open() {
    if (ui.dialog.open) return;
    lastFocus = document.activeElement;
    lastAnnouncedMinute = null;
    tick();
    ui.dialog.showModal();
    ui.dialog.focus();
    tickTimer = setInterval(tick, 1000);
  }

  function close() {
    clearInterval(tickTimer);
    if (ui.dialog.open) ui.dialog.close();
    if (lastFocus && typeof lastFocus.focus === "function") lastFocus.focus();
  }

  async function staySignedIn() {
    ui.stay.disabled = true;
    try {
      const response = await fetch(keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
      });
      if (!response.ok) throw new Error(`keep-alive returned ${response.status}`);
      expiresAt = Date.now() + timeoutSeconds * 1000;
      share();
      close();
      schedule();
    } catch (error) {
      // Session probably already expired.
      expired();
    } finally {
      ui.stay.disabled = false;
    }
  }

  ui.stay.addEventListener("click", staySignedIn);
  ui.signOut.addEventListener("click", signOut);
  ui.dialog.addEventListener("cancel", (event) => {
    // Escape key: treat as "Stay signed in".
    event.preventDefault();
    staySignedIn();
  });

  window.addEventListener("storage", (event) => {
    if (event.key !== STORAGE_KEY || !event.newValue) return;
    const shared = Number(event.newValue);
    if (shared > expiresAt) {
      expiresAt = shared;
      if (ui.dialog.open) close();
      schedule();
    }
  });

  // Page loads reset the server's session clock, so count from now.
  share();
  schedule();
}

start();
