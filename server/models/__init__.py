"""Typed SQLAlchemy 2.0 models. Thin, no side effects; money is integer cents."""

from server.models.catalog import (
    Budget,
    CalendarException,
    Customer,
    PaymentMethod,
    SalesCategory,
    Supplier,
)
from server.models.day import Day, DayEvent, DayLine, Flow, JournalEntry, PeriodClosing
from server.models.org import Company, Firm, Register
from server.models.security import DeviceOwner, LoginFailure, PushFailure, UserSession
from server.models.sync import Device, Rejection, Tombstone
from server.models.user import ApiToken, Membership, User

__all__ = [
    "ApiToken", "Budget", "CalendarException", "Company", "Customer", "Day", "DayEvent", "DayLine",
    "Device", "DeviceOwner", "Firm", "Flow", "JournalEntry", "LoginFailure", "Membership", "PaymentMethod",
    "PeriodClosing", "PushFailure", "Register", "Rejection", "SalesCategory", "Supplier", "Tombstone", "User",
    "UserSession",
]
