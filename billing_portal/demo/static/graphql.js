// The whole client an SPA needs for the billing-portal API: POST one operation as JSON, with
// the signed-in user's token, and turn GraphQL errors into exceptions that keep their code.

// Same origin here. An SPA on another origin puts the service's URL here and lists its own
// origin in the service's CORS_ALLOW_ORIGINS.
export const API_URL = "/graphql";

// Marks a GraphQL document in the source, so that tools (and this project's tests) can find
// every operation the app sends. It adds nothing: gql`query { plans { name } }` is the string.
export const gql = (strings) => strings.join("");

export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((error) => error.message).join(" "));
    this.name = "GraphQLError";
    // One of UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND, PAYMENT_PROVIDER_ERROR,
    // PAYMENT_PROVIDER_UNAVAILABLE, RATE_LIMITED, QUERY_TOO_COMPLEX, INTERNAL_SERVER_ERROR.
    this.code = errors[0]?.extensions?.code ?? "INTERNAL_SERVER_ERROR";
  }
}

export async function graphql(query, { variables = {}, token = null } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(API_URL, {
    method: "POST",
    headers,
    body: JSON.stringify({ query, variables }),
  });
  // Every answer of the endpoint is GraphQL JSON, its refusals (4xx) included.
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`The billing API answered ${response.status} without a GraphQL body.`);
  }
  if (body.errors?.length) throw new GraphQLError(body.errors);
  return body.data;
}
