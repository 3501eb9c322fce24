"""Signed per-form tokens: bound to a user, a form and a nonce; tamper-proof; valid for days, not for ever."""

import datetime
import time
import uuid

import pytest
from django.core import signing
from django.utils import timezone

from assessments.tokens import make_token as make_quiz_token
from offline import tokens


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
    ],
)
def test_tampered_tokens_are_refused(mangle):
    value = tokens.make_token(user_id=7, scope="lesson:42")
    assert tokens.read_token(mangle(value), scope="lesson:42") is None


def test_a_token_signed_with_another_salt_is_refused():
    quiz_token = make_quiz_token(user_id=7, scope="lesson:42")  # the quizzes' salt, same shape
    assert tokens.read_token(quiz_token, scope="lesson:42") is None


def test_a_token_lasts_days_then_expires(monkeypatch):
    value = tokens.make_token(user_id=7, scope="lesson:42")
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + tokens.MAX_AGE - 60)
    assert tokens.read_token(value, scope="lesson:42") is not None
    monkeypatch.setattr(signing.time, "time", lambda: now + tokens.MAX_AGE + 60)
    assert tokens.read_token(value, scope="lesson:42") is None
    assert tokens.MAX_AGE >= 7 * 24 * 60 * 60


def test_the_quiz_form_token_is_reused_as_it_is():
    value = make_quiz_token(user_id=7, scope="quiz:3")
    read = tokens.read_quiz_token(value, quiz_id=3)
    assert read.user_id == 7
    assert tokens.read_quiz_token(value, quiz_id=4) is None
    assert tokens.read_quiz_token(tokens.make_token(user_id=7, scope="quiz:3"), quiz_id=3) is None


def test_the_phone_clock_is_bounded_by_the_token_and_the_server():
    read = tokens.read_token(tokens.make_token(user_id=7, scope="lesson:42"), scope="lesson:42")
    now = timezone.now()
    assert tokens.clamp_made_at(read, now - datetime.timedelta(days=400)) == read.issued_at
    assert tokens.clamp_made_at(read, now + datetime.timedelta(days=400)) <= timezone.now()
    assert tokens.clamp_made_at(read, None) >= now
    inside = read.issued_at + datetime.timedelta(microseconds=1)
    assert tokens.clamp_made_at(read, inside) == inside
