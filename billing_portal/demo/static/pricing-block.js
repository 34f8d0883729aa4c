// The Pricing block: every plan with its price and a button that starts Stripe Checkout.
import { gql, graphql } from "./graphql.js";
import { fill, h } from "./dom.js";
import { cadence, money } from "./format.js";
import { closeEmbeddedCheckout, mountEmbeddedCheckout } from "./embedded-checkout.js";

// Public: the plans show to everyone, signed in or not.
export const PLANS = gql`
  query PricingPlans {
    plans {
      priceId
      productId
      name
      nickname
      unitAmount
      currency
      interval
      intervalCount
    }
  }
`;

export const START_CHECKOUT = gql`
  mutation StartCheckout($input: CheckoutInput!) {
    createCheckoutSession(input: $input) {
      id
      url
    }
  }
`;

export async function loadPlans() {
  return (await graphql(PLANS)).plans;
}

// Where Checkout sends the browser back; Stripe writes the session's id in place of
// {CHECKOUT_SESSION_ID} (so the braces stay as they are, not percent-encoded).
function checkoutReturnUrls() {
  const page = `${location.origin}/demo/`;
  return {
    successUrl: `${page}?checkout=success&session={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${page}?checkout=canceled`,
  };
}

// "Pay on this page": embedded Checkout instead of the redirect, while the box is ticked.
let payOnThisPage = false;

// True when the browser is on its way to Stripe's page; false when Checkout opened in this one.
async function startCheckout(plan, token, embedded) {
  const purchase = { priceId: plan.priceId, mode: plan.interval ? "SUBSCRIPTION" : "PAYMENT" };
  const { successUrl, cancelUrl } = checkoutReturnUrls();
  if (embedded && payOnThisPage) {
    // Embedded Checkout has no cancel URL (the app's page stays) and returns to the success page.
    const input = { ...purchase, returnUrl: successUrl };
    await mountEmbeddedCheckout(embedded.stripe, embedded.container, { input, token });
    return false;
  }
  const input = { ...purchase, successUrl, cancelUrl };
  const data = await graphql(START_CHECKOUT, { token, variables: { input } });
  // Leave the app for Stripe's hosted page; the state is read again on the way back.
  location.assign(data.createCheckoutSession.url);
  return true;
}

function planCard(plan, { isCurrent, status, getToken, embedded }) {
  const button = h("button", {
    type: "button",
    class: "primary",
    text: isCurrent ? "Your current plan" : plan.interval ? "Subscribe" : "Buy",
    disabled: isCurrent,
    "aria-label": isCurrent ? null : `${plan.interval ? "Subscribe to" : "Buy"} ${plan.name}`,
  });
  button.addEventListener("click", async () => {
    const token = await getToken();
    if (!token) {
      status.textContent = "Sign in first (at the top of the page) to subscribe.";
      return;
    }
    button.disabled = true;
    button.textContent = "Opening Checkout…";
    let leaving = false;
    try {
      leaving = await startCheckout(plan, token, embedded);
      if (!leaving) status.textContent = "Pay below, on this page.";
    } catch (error) {
      status.textContent = `Checkout could not start: ${error.message}`;
    }
    if (!leaving) {
      button.disabled = false;
      button.textContent = plan.interval ? "Subscribe" : "Buy";
    }
  });
  const price =
    plan.unitAmount === null ? "Price on request" : money(plan.unitAmount, plan.currency);
  return h(
    "article",
    { class: isCurrent ? "plan current" : "plan", data: { priceId: plan.priceId } },
    h("h3", { text: plan.name }),
    plan.nickname && plan.nickname !== plan.name
      ? h("p", { class: "muted", text: plan.nickname })
      : null,
    h(
      "p",
      { class: "price" },
      h("span", { class: "amount", text: price }),
      " ",
      h("span", { class: "per", text: cadence(plan.interval, plan.intervalCount ?? 1) }),
    ),
    button,
  );
}

function payOnThisPageChoice(embedded) {
  const box = h("input", { type: "checkbox", id: "pay-on-this-page", checked: payOnThisPage });
  box.addEventListener("change", () => {
    payOnThisPage = box.checked;
    if (!payOnThisPage) closeEmbeddedCheckout(embedded.container);
  });
  return h(
    "p",
    { class: "pay-here" },
    box,
    " ",
    h("label", { for: "pay-on-this-page", text: "Pay on this page (embedded Checkout)" }),
  );
}

// `currentPriceIds`: prices of the viewer's live subscriptions, shown as "Your current plan".
// `embedded`: { stripe, container } where embedded Checkout can be mounted, else null.
export function renderPricing(container, { plans, currentPriceIds, getToken, embedded }) {
  const status = h("p", { class: "block-status", role: "status" });
  if (plans.length === 0) {
    fill(
      container,
      h("p", {
        class: "empty",
        text:
          "No plans yet. The service learns them from Stripe's product and price webhooks " +
          "(or `billing-portal sync`).",
      }),
    );
    return;
  }
  const cards = plans.map((plan) =>
    planCard(plan, { isCurrent: currentPriceIds.has(plan.priceId), status, getToken, embedded }),
  );
  fill(
    container,
    embedded ? payOnThisPageChoice(embedded) : null,
    h("div", { class: "plans" }, cards),
    status,
  );
}
