// Who is signed in. A real app signs its users in itself and mints their token (an HS256 JWT
// with `sub`, `exp` and `email`, signed with the service's AUTH_JWT_SECRET); this demo asks the
// service's development-only /demo/token for one of a few demo users instead.

const STORAGE_KEY = "billingDemo.session";
// A token this close to its expiry is replaced before a request uses it.
const RENEW_BEFORE_MS = 60_000;

export async function loadDemoConfig() {
  const response = await fetch("/demo/config");
  if (!response.ok) throw new Error("The demo is served only outside prod.");
  return response.json();
}

async function mintToken(userId) {
  const response = await fetch("/demo/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user: userId }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error);
  return {
    user: body.user,
    token: body.token,
    expiresAt: Date.now() + body.expiresIn * 1000,
  };
}

// sessionStorage: the session survives the trip to Checkout and back in this tab, not more.
function stored() {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  return saved ? JSON.parse(saved) : null;
}

export function currentUser() {
  return stored()?.user ?? null;
}

export async function signIn(userId) {
  const session = await mintToken(userId);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session.user;
}

export function signOut() {
  sessionStorage.removeItem(STORAGE_KEY);
}

// The token for the next request, renewed when it is about to expire.
export async function token() {
  const session = stored();
  if (!session) return null;
  if (session.expiresAt - Date.now() > RENEW_BEFORE_MS) return session.token;
  await signIn(session.user.id);
  return stored().token;
}
