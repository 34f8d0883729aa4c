// Puts the blocks on the page and keeps them current: the state is read again every few
// seconds while the page is visible, and at once when the user comes back to it (from
// Checkout, the portal, or another tab), because billing changes arrive as Stripe's webhooks.
import { h } from "./dom.js";
import { livePriceIds, loadAccount, renderAccount } from "./account.js";
import { renderAdminSetup } from "./admin-setup.js";
import { loadPlans, renderPricing } from "./pricing-block.js";
import { loadPortalBlock, renderPortalBlock } from "./portal-block.js";
import { currentUser, loadDemoConfig, signIn, signOut, token } from "./session.js";

const POLL_EVERY_MS = 3000;
const BLOCK_KEY = "billingDemo.blockId";

const $ = (selector) => document.querySelector(selector);
const state = { plans: [], viewer: null, block: null, blockMissing: false };
// What each region shows now, so a poll that finds no change leaves the page (and the
// keyboard focus) alone.
const shown = new Map();

function show(region, data, render) {
  const key = JSON.stringify(data);
  if (shown.get(region) === key) return;
  shown.set(region, key);
  render();
}

function flash(message) {
  $("#flash").textContent = message;
  $("#flash").hidden = !message;
}

// The block to show: ?block=<id> in the address (remembered), else the last one saved here.
function chosenBlockId() {
  const fromAddress = new URLSearchParams(location.search).get("block");
  if (fromAddress) localStorage.setItem(BLOCK_KEY, fromAddress);
  return fromAddress ?? localStorage.getItem(BLOCK_KEY);
}

async function load() {
  const user = currentUser();
  const blockId = chosenBlockId();
  const [plans, viewer, block] = await Promise.all([
    loadPlans(),
    user ? loadAccount(await token()) : null,
    blockId ? loadPortalBlock(blockId) : null,
  ]);
  Object.assign(state, { plans, viewer, block, blockMissing: Boolean(blockId) && !block });
}

function render() {
  const user = currentUser();
  const { plans, viewer, block } = state;
  show("pricing", [plans, viewer && [...livePriceIds(viewer)]], () =>
    renderPricing($("#pricing-content"), {
      plans,
      currentPriceIds: viewer ? livePriceIds(viewer) : new Set(),
      getToken: token,
    }),
  );
  show("portal", [block, state.blockMissing, Boolean(viewer?.customerId), user?.admin], () => {
    const container = $("#portal-content");
    if (block) {
      renderPortalBlock(container, { block, hasBillingAccount: Boolean(viewer?.customerId), getToken: token });
    } else {
      const why = state.blockMissing ? "The portal block saved here no longer exists. " : "No portal block is saved yet. ";
      const how = user?.admin ? "Save one below." : "Sign in as the demo admin to save one.";
      container.replaceChildren(h("p", { class: "empty", text: why + how }));
    }
  });
  $("#account").hidden = !viewer;
  if (viewer) show("account", viewer, () => renderAccount($("#account-content"), viewer));
  $("#admin-setup").hidden = !user?.admin;
  if (user?.admin) {
    show("admin", [block, plans], () =>
      renderAdminSetup($("#admin-content"), {
        block,
        plans,
        getToken: token,
        onSaved: (id) => {
          localStorage.setItem(BLOCK_KEY, id);
          refresh();
        },
      }),
    );
  }
}

let refreshing = null;
async function refresh() {
  // One refresh at a time; a call during one waits for it instead of starting another.
  refreshing ??= load()
    .then(render)
    .catch((error) => flash(`Could not load the billing state: ${error.message}`))
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

function greetReturn() {
  const params = new URLSearchParams(location.search);
  const outcome = params.get("checkout");
  if (outcome === "success") flash("Checkout complete. Your account below shows it as soon as Stripe confirms it.");
  if (outcome === "canceled") flash("Checkout canceled: nothing was charged.");
  if (outcome) {
    params.delete("checkout");
    params.delete("session");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? `?${rest}` : ""));
  }
}

async function start() {
  greetReturn();
  const config = await loadDemoConfig();
  renderNotice(config.stripe);
  renderSignIn(config);
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
  document.addEventListener("visibilitychange", () => document.visibilityState === "visible" && refresh());
}

start().catch((error) => flash(`The demo could not start: ${error.message}`));
