// The Customer Portal block: what an admin saved (title, subtitle, background image) and the
// button that opens the signed-in user's Stripe Customer Portal. Stripe sends them back to
// the block's Redirect URL.
import { gql, graphql } from "./graphql.js";
import { fill, h } from "./dom.js";

// Public: the page that shows a block may be public.
export const PORTAL_BLOCK = gql`
  query PortalBlock($id: ID!) {
    portalBlock(id: $id) {
      id
      title
      subtitle
      backgroundImageUrl
      redirectUrl
    }
  }
`;

export const OPEN_PORTAL = gql`
  mutation OpenPortal($blockId: ID!) {
    createPortalSession(input: { blockId: $blockId }) {
      url
    }
  }
`;

export async function loadPortalBlock(id) {
  return (await graphql(PORTAL_BLOCK, { variables: { id } })).portalBlock;
}

async function openPortal(blockId, token) {
  const data = await graphql(OPEN_PORTAL, { token, variables: { blockId } });
  location.assign(data.createPortalSession.url);
}

function background(url) {
  // An <img> rather than a CSS url(): the address is never written into a style.
  const image = h("img", { class: "block-background", alt: "", src: url });
  image.addEventListener("error", () => image.remove());
  return image;
}

// `hasBillingAccount`: the portal exists for a user once they have been through Checkout.
export function renderPortalBlock(container, { block, hasBillingAccount, getToken }) {
  const status = h("p", { class: "block-status", role: "status" });
  const button = h("button", { type: "button", class: "primary", text: "Manage billing" });
  button.addEventListener("click", async () => {
    const token = await getToken();
    if (!token) {
      status.textContent = "Sign in first (at the top of the page) to manage your billing.";
      return;
    }
    if (!hasBillingAccount) {
      status.textContent = "Subscribe to a plan first: the portal manages what you bought.";
      return;
    }
    button.disabled = true;
    button.textContent = "Opening the portal…";
    try {
      await openPortal(block.id, token);
    } catch (error) {
      status.textContent = `The portal could not open: ${error.message}`;
      button.disabled = false;
      button.textContent = "Manage billing";
    }
  });
  fill(
    container,
    h(
      "div",
      { class: "portal-card" },
      block.backgroundImageUrl ? background(block.backgroundImageUrl) : null,
      h(
        "div",
        { class: "portal-card-text" },
        h("h3", { text: block.title }),
        block.subtitle ? h("p", { class: "subtitle", text: block.subtitle }) : null,
        button,
      ),
    ),
    status,
  );
}
