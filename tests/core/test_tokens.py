"""One-time form tokens (core.tokens): bound to a user, a form and a nonce; tamper-proof; valid for days, not for ever.

The one module replaced two (assessments.tokens for quizzes, offline.tokens for lessons and
attendance) that differed in salt and lifetime: a quiz form was good for 7 days online and 14
days from the offline queue.
"""

import datetime
import time
import uuid

import pytest
from django.core import signing
from django.utils import timezone

from core import tokens


def test_a_token_names_its_user_form_and_a_fresh_nonce():
    first = tokens.make_token(user_id=7, scope="lesson:42")
    second = tokens.make_token(user_id=7, scope="lesson:42")
    read = tokens.read_token(first, scope="lesson:42")
    assert read.user_id == 7 and read.scope == "lesson:42" and isinstance(read.nonce, uuid.UUID)
    assert read.nonce != tokens.read_token(second, scope="lesson:42").nonce
    assert abs(read.issued_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_a_token_is_only_good_for_its_own_form():
    value = tokens.make_token(user_id=7, scope="lesson:42")
    assert tokens.read_token(value, scope="lesson:43") is None
    assert tokens.read_token(value, scope="attendance:42") is None
    assert tokens.read_token(value, scope="quiz:42") is None


def test_a_token_is_only_good_for_its_own_user_when_the_reader_says_who():
    value = tokens.make_token(user_id=7, scope="quiz:3")
    assert tokens.read_token(value, scope="quiz:3", user_id=7).user_id == 7
    assert tokens.read_token(value, scope="quiz:3", user_id=8) is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda v: v[:-1] + ("A" if v[-1] != "A" else "B"),  # signature
        lambda v: v.replace(
            v.split(":")[0],
            signing.dumps({"t": uuid.uuid4().hex, "u": 8, "s": "lesson:42"}, salt=tokens.SALT).split(":")[0],
        ),  # another user's payload
        lambda v: v.split(":")[0],  # truncated
        lambda v: "",
        lambda v: "no-token-at-all",
        lambda v: signing.dumps({"t": uuid.uuid4().hex, "u": 7, "s": "lesson:42"}, salt="another.salt"),
        lambda v: signing.dumps({"t": "not-a-uuid", "u": 7, "s": "lesson:42"}, salt=tokens.SALT),
        lambda v: signing.dumps({"t": uuid.uuid4().hex, "u": "7", "s": "lesson:42"}, salt=tokens.SALT),
        lambda v: signing.dumps(["lesson:42", 7], salt=tokens.SALT),
    ],
)
def test_tampered_or_malformed_tokens_are_refused(mangle):
    value = tokens.make_token(user_id=7, scope="lesson:42")
    assert tokens.read_token(mangle(value), scope="lesson:42") is None


def test_a_token_lasts_days_then_expires(monkeypatch):
    value = tokens.make_token(user_id=7, scope="lesson:42")
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + tokens.MAX_AGE - 60)
    assert tokens.read_token(value, scope="lesson:42") is not None
    monkeypatch.setattr(signing.time, "time", lambda: now + tokens.MAX_AGE + 60)
    assert tokens.read_token(value, scope="lesson:42") is None
    assert tokens.MAX_AGE >= 7 * 24 * 60 * 60


def test_a_quiz_form_lasts_as_long_online_as_from_the_offline_queue(monkeypatch):
    """Bug fixed: the quiz form's token was refused online after 7 days but accepted from the queue for 14."""
    value = tokens.make_token(user_id=7, scope="quiz:3")
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 10 * 24 * 60 * 60)
    assert tokens.read_token(value, scope="quiz:3", user_id=7) is not None


@pytest.mark.parametrize("salt", tokens.LEGACY_SALTS)
def test_tokens_signed_before_the_upgrade_are_still_read(salt):
    """A page or a phone's queue may hold a token signed by the modules this one replaced: it still counts once."""
    nonce = uuid.uuid4()
    value = signing.dumps({"t": nonce.hex, "u": 7, "s": "quiz:3"}, salt=salt, compress=False)
    read = tokens.read_token(value, scope="quiz:3", user_id=7)
    assert read is not None and read.nonce == nonce


def test_rows_of_one_form_get_stable_distinct_keys():
    read = tokens.read_token(tokens.make_token(user_id=7, scope="paper:1:2"), scope="paper:1:2")
    assert read.row(11) == read.row("11") == tokens.row_key(read.nonce, 11)
    assert read.row(11) != read.row(12) and read.row(11) != read.nonce


def test_the_phone_clock_is_bounded_by_the_token_and_the_server():
    read = tokens.read_token(tokens.make_token(user_id=7, scope="lesson:42"), scope="lesson:42")
    now = timezone.now()
    assert tokens.clamp_made_at(read, now - datetime.timedelta(days=400)) == read.issued_at
    assert tokens.clamp_made_at(read, now + datetime.timedelta(days=400)) <= timezone.now()
    assert tokens.clamp_made_at(read, None) >= now
    inside = read.issued_at + datetime.timedelta(microseconds=1)
    assert tokens.clamp_made_at(read, inside) == inside
