// The account's billing state, read from the service's mirror of Stripe (kept current by
// Stripe's webhooks): what the app shows or gates on.
import { gql, graphql } from "./graphql.js";
import { fill, h, safeHref } from "./dom.js";
import { day, money } from "./format.js";

export const ACCOUNT = gql`
  query Account {
    viewer {
      id
      email
      customerId
      hasActiveSubscription
      subscriptions {
        id
        status
        planName
        priceId
        quantity
        currentPeriodEnd
        cancelAtPeriodEnd
        cancelAt
        canceledAt
        trialEnd
        defaultPaymentMethod {
          brand
          last4
        }
      }
      defaultPaymentMethod {
        brand
        last4
        expMonth
        expYear
      }
      invoices(limit: 5) {
        id
        status
        amountDue
        amountPaid
        currency
        created
        hostedInvoiceUrl
      }
    }
  }
`;

export async function loadAccount(token) {
  return (await graphql(ACCOUNT, { token })).viewer;
}

// Subscriptions that still bill or give access; the others are history.
const LIVE = new Set(["ACTIVE", "TRIALING", "PAST_DUE", "UNPAID", "PAUSED", "INCOMPLETE"]);

export function livePriceIds(viewer) {
  return new Set(
    viewer.subscriptions
      .filter((subscription) => ["ACTIVE", "TRIALING", "PAST_DUE"].includes(subscription.status))
      .map((subscription) => subscription.priceId),
  );
}

// The one date a customer wants to know about a subscription.
function whatHappensNext(subscription) {
  if (subscription.status === "CANCELED") {
    return subscription.canceledAt
      ? { class: "ends", text: `Ended on ${day(subscription.canceledAt)}` }
      : null;
  }
  // cancelAt is set whenever a cancellation is scheduled, whichever way Stripe recorded it.
  if (subscription.cancelAt) {
    return { class: "ends", text: `Ends on ${day(subscription.cancelAt)}` };
  }
  if (subscription.status === "TRIALING" && subscription.trialEnd) {
    return { class: "renews", text: `Trial ends on ${day(subscription.trialEnd)}` };
  }
  if (subscription.currentPeriodEnd) {
    return { class: "renews", text: `Renews on ${day(subscription.currentPeriodEnd)}` };
  }
  return null;
}

function subscriptionRow(subscription) {
  const next = whatHappensNext(subscription);
  const quantity = subscription.quantity > 1 ? ` × ${subscription.quantity}` : "";
  return h(
    "li",
    { class: "subscription", data: { subscriptionId: subscription.id } },
    h("span", {
      class: "plan-name",
      text: (subscription.planName ?? subscription.priceId) + quantity,
    }),
    h("span", {
      class: `status status-${subscription.status.toLowerCase()}`,
      text: subscription.status.toLowerCase().replace("_", " "),
    }),
    next ? h("span", next) : null,
  );
}

const BRANDS = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  discover: "Discover",
};

function cardText(card) {
  if (!card) return "No card on file.";
  if (!card.last4) return "A card Stripe has not described yet.";
  const brand = BRANDS[card.brand] ?? card.brand ?? "Card";
  const expiry = card.expMonth
    ? `, expires ${String(card.expMonth).padStart(2, "0")}/${card.expYear}`
    : "";
  return `${brand} ending in ${card.last4}${expiry}`;
}

function invoiceRow(invoice) {
  const href = invoice.hostedInvoiceUrl ? safeHref(invoice.hostedInvoiceUrl) : null;
  return h(
    "tr",
    {},
    h("td", { text: day(invoice.created) }),
    h("td", { text: money(invoice.amountDue, invoice.currency) }),
    h("td", { text: invoice.status }),
    h("td", {}, href ? h("a", { href, text: "View", rel: "noopener" }) : null),
  );
}

export function renderAccount(container, viewer) {
  const live = viewer.subscriptions.filter((subscription) => LIVE.has(subscription.status));
  const past = viewer.subscriptions.filter((subscription) => !LIVE.has(subscription.status));
  fill(
    container,
    h("p", { class: "muted", text: viewer.email ?? viewer.id }),
    h("h3", { text: "Subscription" }),
    live.length
      ? h("ul", { class: "subscriptions" }, live.map(subscriptionRow))
      : h("p", { class: "empty", text: "No active subscription." }),
    past.length
      ? h(
          "details",
          {},
          h("summary", { text: `Earlier subscriptions (${past.length})` }),
          h("ul", { class: "subscriptions" }, past.map(subscriptionRow)),
        )
      : null,
    h("h3", { text: "Card" }),
    h("p", { id: "card", text: cardText(viewer.defaultPaymentMethod) }),
    h("h3", { text: "Invoices" }),
    viewer.invoices.length
      ? h(
          "table",
          { id: "invoices" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ["Date", "Amount", "Status", "Invoice"].map((name) =>
                h("th", { scope: "col", text: name }),
              ),
            ),
          ),
          h("tbody", {}, viewer.invoices.map(invoiceRow)),
        )
      : h("p", { id: "invoices", class: "empty", text: "No invoices yet." }),
  );
}
