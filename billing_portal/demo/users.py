"""The people a demo visitor can sign in as. A real host app signs its own users in; the demo
has a fixed cast instead, one of them an admin who can save the portal block."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoUser:
    id: str
    name: str
    email: str
    admin: bool = False

    @property
    def subject(self) -> str:
        """The token's `sub`: prefixed, so a demo user never shares a billing account with a user
        minted another way (`billing-portal token --sub ada`)."""
        return f"demo-{self.id}"

    def public(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "email": self.email, "admin": self.admin}


DEMO_USERS = (
    DemoUser("ada", "Ada Lovelace", "ada@example.com"),
    DemoUser("grace", "Grace Hopper", "grace@example.com"),
    DemoUser("alan", "Alan Turing", "alan@example.com"),
    DemoUser("admin", "Demo admin", "admin@example.com", admin=True),
)
DEMO_USERS_BY_ID = {user.id: user for user in DEMO_USERS}
