// What an admin changes (role: admin in their token): the Customer Portal block this page
// shows. What customers may do in the portal is configureCustomerPortal's (see the README).
import { gql, graphql } from "./graphql.js";
import { fill, h } from "./dom.js";

export const SAVE_PORTAL_BLOCK = gql`
  mutation SavePortalBlock($input: PortalBlockInput!) {
    savePortalBlock(input: $input) {
      id
    }
  }
`;

function field(label, input, hint) {
  return h(
    "label",
    { class: "field" },
    h("span", { text: label }),
    input,
    hint ? h("small", { text: hint }) : null,
  );
}

export function renderAdminSetup(container, { block, getToken, onSaved }) {
  const title = h("input", { name: "title", required: true, maxlength: 200, value: block.title });
  const subtitle = h("input", { name: "subtitle", maxlength: 500, value: block.subtitle ?? "" });
  const image = h("input", {
    name: "backgroundImageUrl",
    type: "url",
    value: block.backgroundImageUrl ?? "",
  });
  const redirect = h("input", {
    name: "redirectUrl",
    type: "url",
    required: true,
    value: block.redirectUrl,
  });
  const status = h("p", { class: "block-status", role: "status" });
  const form = h(
    "form",
    {},
    field("Title", title),
    field("Subtitle", subtitle),
    field("Background image", image, "Optional; an https:// address."),
    field("Redirect URL", redirect, "Where the portal sends customers back: this page."),
    h("button", { type: "submit", class: "primary", text: "Save the portal block" }),
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "Saving…";
    const input = {
      id: block.id,
      title: title.value,
      subtitle: subtitle.value || null,
      backgroundImageUrl: image.value || null,
      redirectUrl: redirect.value,
    };
    try {
      await graphql(SAVE_PORTAL_BLOCK, { token: await getToken(), variables: { input } });
      onSaved();
    } catch (error) {
      status.textContent = `Not saved: ${error.message}`;
    }
  });
  fill(container, form);
}
