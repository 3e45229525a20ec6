"""What the interaction checks leave unjudged: fields that only hold a value (Enter doing
nothing there is the browser's normal behaviour) and controls with nothing to act on yet."""

from __future__ import annotations

import re

from judge.interact import Control
from judge.prober import Outcome

VALUE_FIELDS = {"number", "tel", "url", "password", "email"}  # settings, not Enter-to-act
FIELD_EVENTS = {"keydown", "keyup", "keypress", "input", "change", "submit"}
KEY_EVENTS = {"keydown", "keyup", "keypress"}
NATIVE = {"button", "a", "summary"}
# Elements with no meaning of their own: a control only by a listener (or a role, or a pointer).
PLAIN = {"div", "section", "main", "article", "ul", "ol", "li", "span", "p", "table", "tbody"}
# Controls with nothing to act on until something runs or was done (see idle_verb).
# Not Reset or Clear: a working one still redraws or rewrites on an empty page (clearRect,
# innerHTML = ""), and one that does nothing there is as likely broken (a paint app's Clear).
_IDLE_VERBS = re.compile(r"^\W*(pause|stop|undo|redo|lap)\b", re.IGNORECASE)


def value_fields(acted: list[Outcome], controls: list[Control], info) -> set[str]:
    """Fields that hold a value the page reads when something else happens, where Enter doing
    nothing is the browser's normal behaviour: typed settings (numbers, e-mail, passwords), and
    text fields nothing could act on (no form, no key or input listener on them, an ancestor or
    the page) on a page that did wire its other controls — a demo form's e-mail box. On a page
    that wired nothing at all (a lost script, dead handlers), or whose button beside it adds
    what was typed, a field is still a main control.
    """
    page_wired = any(c.listened for c in controls)
    page_keys = bool(FIELD_EVENTS & set(info.global_listeners))
    # A field whose button shows what was typed (an Add beside it) is an entry, not a value:
    # Enter there is expected to do what the button does.
    fed = fed_groups(acted)
    return {
        o.control.selector
        for o in acted
        if o.action == "type"
        and (
            o.control.type in VALUE_FIELDS
            or (not o.control.wired and page_wired and not page_keys and o.control.group not in fed)
            or plain_textarea(o.control, info)
            or (o.control.tag == "textarea" and o.control.in_form and o.newline)
        )
    }


def fed_groups(acted: list[Outcome]) -> set[str | None]:
    """Groups (forms) whose button, pressed with every field filled, showed a result."""
    return {o.control.group for o in acted if o.action == "flow" and o.visible_result}


def plain_textarea(c: Control, info) -> bool:
    """A text area in a form, nothing listening to it (no key or input listener on it, no key
    listener on the page): Enter there starts a new line, by definition — it does not submit
    the form (no implicit submission) — so a contact form's message box is a value the form
    sends, not a field whose Enter "does nothing". A chat box that sends on Enter, or a notes
    pad that saves as you type, listens, and is judged by what it does; so is a text area on
    its own, whose Enter is all a page without its script offers ("press Enter when done").
    (A text area in a form that took Enter as a new line is one too, whoever listens on the
    page — a UI library's keyboard handlers for its dialogs — see `value_fields`.)"""
    own = FIELD_EVENTS & set(c.listens)
    return (
        c.tag == "textarea"
        and c.in_form
        and not own
        and not KEY_EVENTS & set(info.global_listeners)
    )


def kept_value(o: Outcome, values: set[str]) -> bool:
    """A value field outside any form that kept what was typed and did nothing else: nothing
    to judge. In a form, Enter submits it (the browser's implicit submission): a field whose
    Enter does nothing there has lost something that worked — except a text area, where Enter
    is a new line in a form too, and a field whose form the browser would not send yet (Enter
    in a calculator's first field, its second field `required` and empty)."""
    return (
        o.action == "type"
        and o.control.selector in values
        and (not o.control.in_form or o.control.tag == "textarea" or o.unsendable)
        and not (o.effects or o.enter_effects or o.visible_result or o.note)
    )


def idle_verb(o: Outcome) -> bool:
    """A Pause, Stop, Lap, Undo or Redo pressed on the page as loaded: nothing runs yet and
    nothing was done, so it has nothing to act on — a timer's Pause (a stopwatch's Lap) before
    Start doing nothing is the app working. Left unjudged on a page whose other controls respond (on a page where nothing
    responds, it counts as dead like the rest)."""
    return (
        o.action == "click"
        and o.setup is None
        and not o.responded
        and bool(_IDLE_VERBS.match(o.control.label or ""))
    )


def hover_chart(o: Outcome) -> bool:
    """A chart library's canvas (Chart.js, ECharts) that drew nothing under a stroke across
    it: the library shows details only with the pointer on a data point (a line chart's point
    is a few pixels wide), and that behaviour is the library's, not something the page can
    have broken. The chart is judged by how it looks; the controls that change its data are
    judged by whether it redraws. A hand-made canvas is judged by what it does."""
    return o.action == "draw" and not o.responded and o.control.chart


def native(c: Control) -> bool:
    """A button or link by its element or type: something that is a control whatever it does."""
    return c.tag in NATIVE or c.type in ("button", "submit", "image")


def delegating(o: Outcome) -> bool:
    """A plain element that listens for clicks, drawn without a pointer, that did nothing: a
    list handling clicks on the items it will hold (event delegation) — empty, or clicked
    between them. Nothing on screen invites that click, so nothing was promised."""
    c = o.control
    plain = c.kind == "button" and c.tag in PLAIN and not native(c)
    return plain and not (c.pointer or o.responded) and o.action in ("click", "dblclick")
