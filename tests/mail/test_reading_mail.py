"""Reading mail as it really is: pure, no database."""

import pytest

from requests_app.inbox.reading import Unreadable, fold, html_to_text, read
from tests.mail.letters import letter


def test_the_new_text_is_kept_apart_from_the_quoted_history_and_the_signature():
    text = "Thank you, that works.\n\nAino\n-- \nAino Asiakas, Example Ltd\n\nOn Mon, 1 Dec 2026 Desk wrote:\n> Old"
    assert fold(text) == "Thank you, that works.\n\nAino"
    assert fold("Kiitos!\n\nma 1.12.2026 klo 9.00 Palvelupiste kirjoitti:\n> vanha") == "Kiitos!"
    assert fold("Tack!\n\nDen 1 dec. 2026 skrev Servicedesk <desk@example.org>:\n> gammal") == "Tack!"
    assert fold("See below.\n\n-----Original Message-----\nFrom: Desk") == "See below."
    assert fold("Yes please.\n\n> Shall we?\n> Desk") == "Yes please."


def test_every_charset_is_decoded_and_an_unknown_one_still_gives_text():
    raw = (b"From: a@example.com\r\nSubject: =?iso-8859-1?q?P=E4iv=E4?=\r\nMessage-ID: <1@x>\r\n"
           b"Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nP\xe4iv\xe4\xe4 ja kiitos\r\n")
    mail = read(raw)
    assert mail.subject == "Päivä"
    assert mail.text == "Päivää ja kiitos"
    latin = read(b"From: a@example.com\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nH\xe4n\r\n")
    assert latin.text == "Hän"


def test_html_only_mail_becomes_safe_text_and_its_original_is_kept_without_script_or_remote_images():
    raw = letter(text="", html='<p>Hello <b>desk</b></p><script>alert(1)</script>'
                              '<img src="https://tracker.example/pixel.gif"><p>Line&nbsp;two</p>')
    mail = read(raw.replace(b"Content-Type: multipart/alternative", b"Content-Type: multipart/alternative"))
    assert "alert" not in mail.html and "<script" not in mail.html and "tracker" not in mail.html
    assert "<b>desk</b>" in mail.html
    assert html_to_text("<div>One<br>Two</div><style>p{}</style>") == "One\nTwo"


def test_auto_replies_mailing_lists_and_bounces_are_recognised():
    assert read(letter(headers={"Auto-Submitted": "auto-replied"})).automatic
    assert read(letter(headers={"X-Autoreply": "yes"})).automatic
    assert read(letter(headers={"Precedence": "bulk"})).automatic
    assert read(letter(headers={"List-Id": "<news.example.com>"})).automatic
    assert not read(letter(headers={"Auto-Submitted": "no"})).automatic
    assert read(letter(sender="MAILER-DAEMON@mx.example.com")).bounce


def test_a_subject_or_name_with_line_breaks_is_one_line():
    mail = read(b"From: \"Evil\r\n Name\" <e@example.com>\r\nSubject: one\r\n two\r\n\r\nx")
    assert mail.subject == "one two"
    assert "\n" not in mail.from_name and "\r" not in mail.from_name


def test_a_mail_without_sender_is_unreadable_with_the_reason():
    with pytest.raises(Unreadable, match="No sender"):
        read(b"Subject: who am I\r\n\r\nNobody")


def test_a_thousand_attachments_are_listed_up_to_the_limit_and_counted_beyond_it():
    raw = letter(attachments=[(f"receipt-{n}.txt", b"x", "text/plain") for n in range(1000)])
    mail = read(raw)
    assert len(mail.attachments) == 100 and mail.attachments_left_out == 900
    assert mail.attachments[0]["name"] == "receipt-0.txt"


def test_malformed_mime_and_garbage_never_raise_anything_but_unreadable():
    for raw in (b"\x00\xff\xfe garbage", b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n",
                b"From: a@example.com\r\nContent-Type: multipart/mixed\r\n\r\nno boundary at all",
                b"From: =?utf-8?b?!!!?= <a@example.com>\r\nSubject: =?unknown?q?x?=\r\n\r\nbody"):
        try:
            read(raw)
        except Unreadable:
            pass
