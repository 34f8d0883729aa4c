// The one script of the local Stripe's pages, in the frame of an embedded Checkout: it tells the
// app's page (the stand-in stripe.js there) how tall the page is, so the frame fits it, and,
// once the session is complete, where the browser goes (nothing: the app's page stays).
// Posted to any origin: the height and the app's own return URL are all it says, to the page
// that framed it, which had to know the session's client secret to do so.
(function () {
  "use strict";

  const SOURCE = "local-stripe-checkout";
  if (window.parent === window) return;

  function post(message) {
    window.parent.postMessage({ source: SOURCE, ...message }, "*");
  }

  function postHeight() {
    // The body's own height: the document's is never less than the frame's, so it could
    // only grow.
    post({ type: "resize", height: document.body.getBoundingClientRect().height });
  }

  document.addEventListener("DOMContentLoaded", () => {
    postHeight();
    new ResizeObserver(postHeight).observe(document.body);
    const complete = document.querySelector('meta[name="local-stripe-checkout-complete"]');
    if (complete) post({ type: "complete", returnUrl: complete.content || null });
  });
})();
