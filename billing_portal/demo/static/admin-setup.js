// What an admin sets up once (role: admin in their token): the Customer Portal block the
// page shows, and what customers may do in the portal.
import { gql, graphql } from "./graphql.js";
import { fill, h } from "./dom.js";

export const SAVE_PORTAL_BLOCK = gql`
  mutation SavePortalBlock($input: PortalBlockInput!) {
    savePortalBlock(input: $input) { id title }
  }
`;

export const CONFIGURE_PORTAL = gql`
  mutation ConfigurePortal($input: PortalConfigurationInput!) {
    configureCustomerPortal(input: $input) { id }
  }
`;

// Customers may cancel (at period end), switch between the recurring plans, change their card
// and see their invoices.
function portalConfiguration(plans) {
  const switchable = plans.filter((plan) => plan.interval).map((plan) => plan.priceId);
  return {
    cancelSubscription: true,
    cancellationMode: "at_period_end",
    updatePaymentMethod: true,
    updateSubscription: switchable.length > 1,
    updateSubscriptionPriceIds: switchable.length > 1 ? switchable : null,
    invoiceHistory: true,
    updateCustomerDetails: false,
  };
}

function field(label, input, hint) {
  return h("label", { class: "field" }, h("span", { text: label }), input, hint ? h("small", { text: hint }) : null);
}

// `block`: the block shown now (its values prefill the form; saving updates it), or null.
export function renderAdminSetup(container, { block, plans, getToken, onSaved }) {
  const title = h("input", { name: "title", required: true, value: block?.title ?? "Manage your subscription" });
  const subtitle = h("input", {
    name: "subtitle",
    value: block?.subtitle ?? "Change plan, update your card or cancel, in Stripe's Customer Portal.",
  });
  const image = h("input", { name: "backgroundImageUrl", type: "url", value: block?.backgroundImageUrl ?? "" });
  const configure = h("input", { type: "checkbox", name: "configure", checked: true });
  const status = h("p", { class: "block-status", role: "status" });
  const form = h(
    "form",
    {},
    field("Title", title),
    field("Subtitle", subtitle),
    field("Background image", image, "Optional; an https:// address."),
    h(
      "label",
      { class: "check" },
      configure,
      h("span", { text: "Also configure the portal: cancel at period end, switch between the plans, change card, invoices" }),
    ),
    h("button", { type: "submit", class: "primary", text: block ? "Save the portal block" : "Save the demo portal block" }),
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = await getToken();
    status.textContent = "Saving…";
    try {
      if (configure.checked) {
        await graphql(CONFIGURE_PORTAL, { token, variables: { input: portalConfiguration(plans) } });
      }
      const input = {
        id: block?.id ?? null,
        title: title.value,
        subtitle: subtitle.value || null,
        backgroundImageUrl: image.value || null,
        // The portal's "return" link: back to this page.
        redirectUrl: `${location.origin}/demo/`,
      };
      const data = await graphql(SAVE_PORTAL_BLOCK, { token, variables: { input } });
      status.textContent = "Saved.";
      onSaved(data.savePortalBlock.id);
    } catch (error) {
      status.textContent = `Not saved: ${error.message}`;
    }
  });
  fill(container, form);
}
