// The success page: Stripe sends the browser back before its webhooks arrive (they may come
// later, twice, or never), so the page confirms the Checkout Session it came back with, and the
// service writes the purchase into its mirror at once.
import { gql, graphql, GraphQLError } from "./graphql.js";

export const CONFIRM_CHECKOUT = gql`
  mutation ConfirmCheckout($sessionId: ID!) {
    confirmCheckout(sessionId: $sessionId) {
      hasActiveSubscription
      subscriptions(statuses: [ACTIVE, TRIALING]) {
        planName
        priceId
      }
    }
  }
`;

// What the page says about the purchase: the plan it bought, or why it cannot show it yet. A
// refusal is a sentence, never an exception: the rest of the page works as before, and the
// webhooks still bring the purchase when it went through.
export async function confirmCheckout(sessionId, token) {
  let viewer;
  try {
    viewer = (await graphql(CONFIRM_CHECKOUT, { token, variables: { sessionId } }))
      .confirmCheckout;
  } catch (error) {
    // BAD_USER_INPUT says what is wrong with the session: still open, expired, not paid yet.
    if (error instanceof GraphQLError && error.code === "BAD_USER_INPUT") return error.message;
    return (
      "We could not confirm that purchase here. " +
      "Your account below shows it as soon as Stripe confirms it."
    );
  }
  const [plan] = viewer.subscriptions;
  return plan
    ? `Checkout complete: you are on ${plan.planName ?? plan.priceId}.`
    : "Checkout complete: your purchase is confirmed.";
}
