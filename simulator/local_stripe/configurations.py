"""The portal configurations of the local account, as the API shows them back.

What each configuration lets a customer do is the Stripe side's `PortalConfigurations` (the
portal pages act on it); this keeps what else the API answers with: when each was created and
updated, and the form parameters it was saved with (return URL, customer updates, products).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ConfigurationRecord:
    id: str
    created: int
    updated: int
    # Every form parameter it was saved with, the latest value of each.
    params: dict[str, str] = field(default_factory=dict)
    is_default: bool = False


class ConfigurationRecords:
    """The account's default configuration and those the API created, by id."""

    def __init__(self, default_id: str, created: int) -> None:
        self.default_id = default_id
        self._by_id = {
            default_id: ConfigurationRecord(default_id, created, created, is_default=True)
        }

    def get(self, configuration_id: str) -> ConfigurationRecord | None:
        return self._by_id.get(configuration_id)

    def all(self) -> list[ConfigurationRecord]:
        return list(self._by_id.values())

    def saved(self, configuration_id: str, params: dict[str, str], now: int) -> ConfigurationRecord:
        record = self._by_id.get(configuration_id)
        if record is None:
            record = self._by_id[configuration_id] = ConfigurationRecord(configuration_id, now, now)
        else:
            # A list sent again replaces the old one whole: drop its old members first.
            lists = {_list_name(key) for key in params if _list_name(key)}
            record.params = {
                key: value for key, value in record.params.items() if _list_name(key) not in lists
            }
            record.updated = now
        record.params.update(params)
        return record


def _list_name(key: str) -> str | None:
    """The list a form key belongs to (`features[x][products]` for
    `features[x][products][0][prices][1]`), or None for a plain key."""
    bracket = key.find("][", 0)
    while bracket != -1:
        tail = key[bracket + 2 :]
        if tail[:1].isdigit():
            return key[: bracket + 1]
        bracket = key.find("][", bracket + 1)
    return None
