"""Typed SQLAlchemy 2.0 models. Thin, no side effects; money is integer cents."""

from server.models.alert import Alert, AlertRefresh
from server.models.audit import AuditEntry
from server.models.catalog import (
    Budget,
    CalendarException,
    Customer,
    PaymentMethod,
    RegisterCalendarException,
    SalesCategory,
    Supplier,
)
from server.models.day import Day, DayEvent, DayLine, Flow, JournalEntry, PeriodClosing
from server.models.export import ExportRecord
from server.models.invitation import Invitation
from server.models.org import Company, Firm, Register
from server.models.push import PushNotification, PushPreference, PushSubscription
from server.models.report import DayTotal
from server.models.security import DeviceOwner, LoginFailure, PushFailure, UserSession
from server.models.sync import Device, Rejection, Tombstone
from server.models.till import RegisterToken, TillCode, ZReport
from server.models.user import ApiToken, Membership, User

__all__ = [
    "Alert", "AlertRefresh", "ApiToken", "AuditEntry", "Budget", "CalendarException", "Company", "Customer", "Day",
    "DayEvent", "DayLine", "DayTotal", "Device", "DeviceOwner", "ExportRecord", "Firm", "Flow", "Invitation",
    "JournalEntry", "LoginFailure", "Membership", "PaymentMethod", "PeriodClosing", "PushFailure", "PushNotification",
    "PushPreference", "PushSubscription", "Register", "RegisterCalendarException", "RegisterToken", "Rejection",
    "SalesCategory", "Supplier", "TillCode", "Tombstone", "User", "UserSession", "ZReport",
]
