/*
 * A stand-in for Stripe.js's embedded Checkout, served by the local Stripe for local
 * development. It is not Stripe.js: it does embedded Checkout only, collects nothing, and talks
 * to the local Stripe that served it, never to Stripe.
 *
 * Load it as a classic script before the app's code; `loadStripe` from @stripe/stripe-js then
 * uses the `window.Stripe` it defines instead of fetching Stripe.js from js.stripe.com:
 *
 *   <script src="http://127.0.0.1:12111/v3/stripe.js"></script>
 *
 *   const stripe = Stripe("pk_test_anything");
 *   const checkout = await stripe.createEmbeddedCheckoutPage({ fetchClientSecret });
 *   checkout.mount("#checkout");
 *
 * `mount` puts the local Stripe's Checkout page of the session (found by its client secret) in
 * a frame; once the card is accepted the frame says so, and the browser goes to the session's
 * return URL (or `onComplete` is called, for a session that does not redirect).
 */
(function () {
  "use strict";

  const script = document.currentScript;
  if (!script || !script.src) {
    throw new Error("Load the local Stripe's stripe.js with a classic <script src> tag.");
  }
  const ORIGIN = new URL(script.src).origin;
  const FRAME_PATH = "/embedded-checkout/";
  // What the local Checkout frame posts to this page (embedded-frame.js).
  const MESSAGE_SOURCE = "local-stripe-checkout";
  const CLIENT_SECRET = /^cs_[A-Za-z0-9_]+_secret_[A-Za-z0-9]+$/;

  class IntegrationError extends Error {
    constructor(message) {
      super(message);
      this.name = "IntegrationError";
    }
  }

  // Stripe.js keeps one embedded Checkout per page until it is destroyed.
  let current = null;

  function embeddedCheckout(options) {
    if (current) {
      throw new IntegrationError(
        "You cannot have multiple embedded Checkout objects: destroy() the previous one first.",
      );
    }
    if (!options || typeof options !== "object") {
      throw new IntegrationError("Pass an options object with fetchClientSecret.");
    }
    const { fetchClientSecret, clientSecret, onComplete } = options;
    if ((fetchClientSecret === undefined) === (clientSecret === undefined)) {
      throw new IntegrationError("Pass exactly one of fetchClientSecret and clientSecret.");
    }
    if (fetchClientSecret !== undefined && typeof fetchClientSecret !== "function") {
      throw new IntegrationError("fetchClientSecret must be a function returning a promise.");
    }
    if (onComplete !== undefined && typeof onComplete !== "function") {
      throw new IntegrationError("onComplete must be a function.");
    }
    const instance = {};
    current = instance;
    const secret = Promise.resolve(fetchClientSecret ? fetchClientSecret() : clientSecret).then(
      (value) => {
        if (typeof value !== "string" || !CLIENT_SECRET.test(value)) {
          throw new IntegrationError(
            "The client secret must be a Checkout Session's client_secret (cs_..._secret_...).",
          );
        }
        return value;
      },
    );
    let frame = null;
    let destroyed = false;

    function onMessage(event) {
      if (!frame || event.origin !== ORIGIN || event.source !== frame.contentWindow) return;
      const data = event.data;
      if (!data || data.source !== MESSAGE_SOURCE) return;
      if (data.type === "resize" && Number.isFinite(data.height)) {
        frame.style.minHeight = "0";
        frame.style.height = `${Math.ceil(data.height)}px`;
      } else if (data.type === "complete") {
        if (data.returnUrl) window.location.assign(data.returnUrl);
        else if (onComplete) onComplete();
      }
    }

    instance.mount = function mount(target) {
      if (destroyed) throw new IntegrationError("This embedded Checkout was destroyed.");
      if (frame) throw new IntegrationError("This embedded Checkout is already mounted.");
      const container = typeof target === "string" ? document.querySelector(target) : target;
      if (!(container instanceof Element)) {
        throw new IntegrationError(`No element to mount embedded Checkout in: ${target}`);
      }
      frame = document.createElement("iframe");
      frame.title = "Checkout (local test stand-in for Stripe)";
      frame.name = "embedded-checkout";
      frame.style.cssText = "display:block;width:100%;min-height:24rem;border:0;";
      window.addEventListener("message", onMessage);
      container.append(frame);
      const mounted = frame;
      secret.then(
        (value) => {
          if (frame === mounted) mounted.src = `${ORIGIN}${FRAME_PATH}${encodeURIComponent(value)}`;
        },
        (error) => console.error("embedded Checkout could not load:", error),
      );
    };

    instance.unmount = function unmount() {
      if (!frame) return;
      window.removeEventListener("message", onMessage);
      frame.remove();
      frame = null;
    };

    instance.destroy = function destroy() {
      instance.unmount();
      destroyed = true;
      if (current === instance) current = null;
    };

    // Resolves once the client secret is known, as Stripe.js's does; rejects with its error.
    return secret.then(
      () => instance,
      (error) => {
        instance.destroy();
        throw error;
      },
    );
  }

  function Stripe(publishableKey) {
    if (typeof publishableKey !== "string" || !publishableKey) {
      throw new IntegrationError("Please call Stripe() with your publishable key.");
    }
    const create = (options) => {
      try {
        return embeddedCheckout(options);
      } catch (error) {
        return Promise.reject(error);
      }
    };
    // `initEmbeddedCheckout` is the name before Stripe.js's dahlia release.
    return { createEmbeddedCheckoutPage: create, initEmbeddedCheckout: create };
  }

  window.Stripe = Stripe;
})();
