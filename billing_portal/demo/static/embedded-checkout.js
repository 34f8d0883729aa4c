// Embedded Checkout: the payment form mounted in this page (uiMode: EMBEDDED) instead of Stripe's
// own page. Stripe.js mounts it with the session's client secret, then sends the browser to the
// return URL, the same success page as hosted Checkout. The demo offers it only against the
// local Stripe, whose stand-in for Stripe.js it loads from there (`<local Stripe>/v3/stripe.js`):
// against Stripe an app loads Stripe.js with its own publishable key, which the demo has none of.
import { gql, graphql } from "./graphql.js";

export const START_EMBEDDED_CHECKOUT = gql`
  mutation StartEmbeddedCheckout($input: CheckoutInput!) {
    createCheckoutSession(input: $input) {
      id
      clientSecret
    }
  }
`;

let stripeLoading = null;

// Stripe.js from the local Stripe, or null where none is served (stripe-mock alone serves none).
export function loadLocalStripe(apiBase) {
  stripeLoading ??= new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = `${apiBase.replace(/\/$/, "")}/v3/stripe.js`;
    script.addEventListener("load", () => resolve(window.Stripe?.("pk_test_local") ?? null));
    script.addEventListener("error", () => resolve(null));
    document.head.append(script);
  });
  return stripeLoading;
}

let checkout = null;

// Mounts the form for `input` (a CheckoutInput without its UI mode) in `container`; the
// promise settles once the session exists, and rejects when it could not be created.
export async function mountEmbeddedCheckout(stripe, container, { input, token }) {
  closeEmbeddedCheckout(container);
  checkout = await stripe.createEmbeddedCheckoutPage({
    fetchClientSecret: async () => {
      const variables = { input: { ...input, uiMode: "EMBEDDED" } };
      const data = await graphql(START_EMBEDDED_CHECKOUT, { token, variables });
      return data.createCheckoutSession.clientSecret;
    },
  });
  container.hidden = false;
  checkout.mount(container.querySelector(".embedded-frame"));
  container.querySelector("button.close").onclick = () => closeEmbeddedCheckout(container);
  container.scrollIntoView({ block: "start" });
}

// Stripe.js keeps one embedded Checkout at a time: destroy it before mounting another.
export function closeEmbeddedCheckout(container) {
  checkout?.destroy();
  checkout = null;
  container.hidden = true;
}
