"""The error codes clients read in `extensions.code`, and the one exception type carrying them.

Resolvers never build error codes themselves: a `ServiceError` carries its code to the GraphQL
layer, which copies it into `extensions.code` (see schema.errors).
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    PAYMENT_PROVIDER_ERROR = "PAYMENT_PROVIDER_ERROR"
    PAYMENT_PROVIDER_UNAVAILABLE = "PAYMENT_PROVIDER_UNAVAILABLE"
    RATE_LIMITED = "RATE_LIMITED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class ServiceError(Exception):
    """A failure the caller can act on; `message` is safe to show to an end user."""

    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, *, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class Unauthenticated(ServiceError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(ServiceError):
    code = ErrorCode.FORBIDDEN


class BadUserInput(ServiceError):
    code = ErrorCode.BAD_USER_INPUT


class NotFound(ServiceError):
    code = ErrorCode.NOT_FOUND


class PaymentProviderError(ServiceError):
    """Stripe understood the request and refused it (4xx)."""

    code = ErrorCode.PAYMENT_PROVIDER_ERROR


class PaymentProviderUnavailable(ServiceError):
    """Stripe could not be reached, or kept failing (5xx) after the client's retries."""

    code = ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE


class RateLimited(ServiceError):
    code = ErrorCode.RATE_LIMITED
