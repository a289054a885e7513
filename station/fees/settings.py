"""The school's fee settings, kept in the station database: the price of one set, and whether a student
must have paid before the shutter. A change is recorded in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlite_utils

from station.audit.trail import Action, AuditTrail
from station.db import Migrations, register, write_transaction
from station.fees.amounts import yuan

DEFAULT_PRICE_FEN = 2000  # 每套20元, the price in the school notices


@dataclass(frozen=True)
class FeeSettings:
    price_fen: int = DEFAULT_PRICE_FEN
    pay_before_shutter: bool = False  # the notices' "排队 → 缴费 → 登记 → 拍摄"; off: pay whenever

    def as_json(self) -> dict:
        return {"price_fen": self.price_fen, "price_yuan": yuan(self.price_fen),
                "pay_before_shutter": self.pay_before_shutter}


def _create_settings(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE fee_settings (
            id                 INTEGER PRIMARY KEY CHECK (id = 1),
            price_fen          INTEGER NOT NULL CHECK (price_fen >= 0),
            pay_before_shutter INTEGER NOT NULL DEFAULT 0
        )"""
    )


MIGRATIONS = register(Migrations("fee_settings", [_create_settings]))


def load_settings(db: sqlite_utils.Database) -> FeeSettings:
    row = db.execute("SELECT price_fen, pay_before_shutter FROM fee_settings WHERE id = 1").fetchone()
    return FeeSettings(row[0], bool(row[1])) if row else FeeSettings()


def change_settings(trail: AuditTrail, price_fen: int | None = None,
                    pay_before_shutter: bool | None = None) -> FeeSettings:
    """Keep the given settings (None leaves one as it is); what changed goes into the audit trail."""
    db = trail.station.db
    old = load_settings(db)
    new = replace(old, **{k: v for k, v in {"price_fen": price_fen, "pay_before_shutter": pay_before_shutter}.items()
                          if v is not None})
    if new == old:
        return old
    changed = {name: [getattr(old, name), getattr(new, name)] for name in ("price_fen", "pay_before_shutter")
               if getattr(old, name) != getattr(new, name)}
    with write_transaction(db):
        db.execute("INSERT INTO fee_settings(id, price_fen, pay_before_shutter) VALUES (1, ?, ?) ON CONFLICT(id) "
                   "DO UPDATE SET price_fen = excluded.price_fen, pay_before_shutter = excluded.pay_before_shutter",
                   [new.price_fen, int(new.pay_before_shutter)])
        trail.write(Action.SETTINGS, setting="fees", changed=changed)
    return new
