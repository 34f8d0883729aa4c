// Puts the blocks on the page and keeps them current: the state is read again every few
// seconds while the page is visible, and at once when the user comes back to it (from
// Checkout, the portal, or another tab), because billing changes arrive as Stripe's webhooks.
import { h } from "./dom.js";
import { livePriceIds, loadAccount, renderAccount } from "./account.js";
import { renderAdminSetup } from "./admin-setup.js";
import { confirmCheckout } from "./checkout-return.js";
import { loadLocalStripe } from "./embedded-checkout.js";
import { loadPlans, renderPricing } from "./pricing-block.js";
import { loadPortalBlock, renderPortalBlock } from "./portal-block.js";
import { currentUser, loadDemoConfig, signIn, signOut, token } from "./session.js";

const POLL_EVERY_MS = 3000;

const $ = (selector) => document.querySelector(selector);
const state = { config: null, plans: [], viewer: null, block: null, embedded: null };
// What each region shows now, so a poll that finds no change leaves the page (and the
// keyboard focus) alone.
const shown = new Map();

function show(region, data, render) {
  const key = JSON.stringify(data);
  if (shown.get(region) === key) return;
  shown.set(region, key);
  render();
}

// The demo keeps who is signed in per address: coming back to another one signs you out.
function elsewhereNote(block) {
  return h(
    "p",
    { class: "muted" },
    "The portal sends you back to ",
    h("a", { href: block.redirectUrl, text: block.redirectUrl }),
    ", not to this address: open the demo there, or change the block's Redirect URL.",
  );
}

function flash(message) {
  $("#flash").textContent = message;
  $("#flash").hidden = !message;
}

async function load() {
  const user = currentUser();
  // The block this page shows: a host app builds its id into the page, as Softr does.
  const blockId = state.config.portalBlockId;
  const [plans, viewer, block] = await Promise.all([
    loadPlans(),
    user ? loadAccount(await token()) : null,
    blockId ? loadPortalBlock(blockId) : null,
  ]);
  Object.assign(state, { plans, viewer, block });
}

function render() {
  const user = currentUser();
  const { plans, viewer, block } = state;
  show("pricing", [plans, viewer && [...livePriceIds(viewer)]], () =>
    renderPricing($("#pricing-content"), {
      plans,
      currentPriceIds: viewer ? livePriceIds(viewer) : new Set(),
      getToken: token,
      embedded: state.embedded,
    }),
  );
  show("portal", [block, Boolean(viewer?.customerId)], () => {
    const container = $("#portal-content");
    if (block) {
      renderPortalBlock(container, {
        block,
        hasBillingAccount: Boolean(viewer?.customerId),
        getToken: token,
      });
      if (new URL(block.redirectUrl).origin !== location.origin) {
        container.append(elsewhereNote(block));
      }
    } else {
      const why = state.config.portalBlockProblem ?? "The demo has no portal block.";
      container.replaceChildren(h("p", { class: "empty", text: why }));
    }
  });
  $("#account").hidden = !viewer;
  if (viewer) show("account", viewer, () => renderAccount($("#account-content"), viewer));
  $("#admin-setup").hidden = !(user?.admin && block);
  if (user?.admin && block) {
    show("admin", block, () =>
      renderAdminSetup($("#admin-content"), {
        block,
        getToken: token,
        onSaved: () => {
          flash("The portal block is saved.");
          refresh();
        },
      }),
    );
  }
}

let refreshing = null;
let failedToLoad = false;
async function refresh() {
  // One refresh at a time; a call during one waits for it instead of starting another.
  refreshing ??= load()
    .then(() => {
      if (failedToLoad) flash("");
      failedToLoad = false;
      render();
    })
    .catch((error) => {
      failedToLoad = true;
      flash(`Could not load the billing state: ${error.message}`);
    })
    .finally(() => (refreshing = null));
  return refreshing;
}

function renderSignIn(config) {
  const select = $("#demo-user");
  select.replaceChildren(
    ...config.users.map((user) =>
      h("option", { value: user.id, text: `${user.name}${user.admin ? " (admin)" : ""}` }),
    ),
  );
  const user = currentUser();
  if (user) select.value = user.id;
  $("#sign-in button[type=submit]").textContent = user ? "Switch user" : "Sign in";
  $("#signed-in").hidden = !user;
  $("#signed-in-name").textContent = user ? `${user.name} (${user.email})` : "";
}

function renderNotice(stripe) {
  $("#stand-in-notice").textContent = stripe.local
    ? `A demo against a local Stripe stand-in (${stripe.apiBase}): no real payment is made. ` +
      "Pay with the test card 4242 4242 4242 4242, any future date and any CVC."
    : `A demo against Stripe at ${stripe.apiBase} (use a test-mode key).`;
}

// The Checkout Session the browser came back with from a payment, if it did. The address loses
// the outcome and the session at once, so a reload neither greets nor confirms again.
function greetReturn() {
  const params = new URLSearchParams(location.search);
  const outcome = params.get("checkout");
  const sessionId = outcome === "success" ? params.get("session") : null;
  if (outcome === "success")
    flash("Checkout complete. Your account below shows it as soon as Stripe confirms it.");
  if (outcome === "canceled") flash("Checkout canceled: nothing was charged.");
  if (outcome) {
    params.delete("checkout");
    params.delete("session");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? `?${rest}` : ""));
  }
  return sessionId;
}

// Before the first read of the account, so that it shows the plan even when no webhook has
// arrived yet.
async function confirmReturn(sessionId) {
  const userToken = await token().catch(() => null);
  if (!userToken) {
    flash("Checkout complete. Sign in as the user who paid to see the purchase.");
    return;
  }
  flash(await confirmCheckout(sessionId, userToken));
}

async function start() {
  const returnedSessionId = greetReturn();
  const config = await loadDemoConfig();
  state.config = config;
  renderNotice(config.stripe);
  renderSignIn(config);
  // Against the local Stripe, the Pricing block can mount Checkout in this page too.
  const stripe = config.stripe.local ? await loadLocalStripe(config.stripe.apiBase) : null;
  if (stripe) state.embedded = { stripe, container: $("#embedded-checkout") };
  if (returnedSessionId) await confirmReturn(returnedSessionId);
  $("#sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await signIn($("#demo-user").value);
    } catch (error) {
      flash(`Could not sign in: ${error.message}`);
      return;
    }
    flash("");
    shown.clear();
    renderSignIn(config);
    await refresh();
  });
  $("#sign-out").addEventListener("click", async () => {
    signOut();
    shown.clear();
    renderSignIn(config);
    await refresh();
  });
  await refresh();
  setInterval(() => document.visibilityState === "visible" && refresh(), POLL_EVERY_MS);
  window.addEventListener("focus", refresh);
  // Back from Checkout or the portal with the browser's back button (page from the cache).
  window.addEventListener("pageshow", (event) => event.persisted && refresh());
  document.addEventListener(
    "visibilitychange",
    () => document.visibilityState === "visible" && refresh(),
  );
}

start().catch((error) => flash(`The demo could not start: ${error.message}`));
