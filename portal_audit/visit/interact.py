"""Acting on a homepage as a visitor does, when the page as loaded lacks a link the caller looks for.

Real portals put their link lists where only an action reaches them: a <select> whose options carry
an id and a script that maps it to an address, elements that are not <a href> (onclick on an image
or a list item, javascript: hrefs), menus that open on hover, tabs, accordions, "Xem thêm",
carousels of logos. Rather than reading one attribute name after another, the visit does what a
person does and records what happens: where the page would go (the navigation is cancelled, the
page never leaves) and which hidden links came into view. Each link found this way carries how it
was reached (`Link.reached_by`), in Vietnamese, for the evidence.

Bounded: at most `interaction.budget` seconds and `interaction.max_actions` actions per site, and it
stops as soon as the caller's test says nothing is missing any more."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from playwright.sync_api import Frame, Page
from playwright.sync_api import Error as PlaywrightError

from portal_audit.settings import Settings
from portal_audit.evidence.capture import Capture, Link

INTERACT = (Path(__file__).with_name("js") / "interact.js").read_text(encoding="utf-8")
API = "window.__portalAuditInteract"


@dataclass(frozen=True)
class Step:
    """The action under way: what a link it leads to is recorded as."""

    kind: str  # tag of the element acted on ("option", "li", "img", ...)
    text: str
    section: str
    reached_by: str
    frame_url: str


@dataclass
class Hold:
    """Shared with the visit's network route and dialog handler: while active, a navigation of the
    page (or of a pop-up) is recorded against the step under way and cancelled, and dialogs are
    accepted (a "Bạn sắp rời khỏi Cổng..." confirm is answered as a visitor who goes on would)."""

    active: bool = False
    step: Step | None = None
    caught: list[tuple[str, Step | None]] = field(default_factory=list)

    def record(self, url: str) -> None:
        self.caught.append((url, self.step))


def _quoted(text: str) -> str:
    return f"'{text}'"


class Interaction:
    def __init__(self, page: Page, settings: Settings, hold: Hold, deadline: float,
                 probe: str, probe_options: dict[str, Any]) -> None:
        self.page = page
        self.settings = settings.interaction
        self.hold = hold
        self.deadline = deadline
        self.actions = 0
        self.probe = probe
        self.probe_options = probe_options
        self.tried: set[tuple[str, int]] = set()
        self.log: list[str] = []
        self.capture: Capture | None = None
        self.done: Callable[[Capture], bool] = lambda capture: False
        self.finished = False

    # -- the run ---------------------------------------------------------------------------------

    def run(self, capture: Capture, done: Callable[[Capture], bool]) -> None:
        """Adds to `capture.links` what acting on the page reaches, until `done(capture)` or the budget ends."""
        self.capture, self.done = capture, done
        self.hold.active = True
        frames = [frame for frame in self.page.frames if self._install(frame)]
        try:
            for phase in (self._selects, self._reveal, self._clickables, self._carousels):
                for frame in frames:
                    if self._over():
                        return
                    phase(frame)
        except PlaywrightError:
            pass  # the page or a frame went away mid-action: keep what was found
        finally:
            self.hold.active = False
            self.hold.step = None
            self._drain()
            for frame in frames:
                self._call(frame, f"() => {API}.release()")
            try:
                self.page.mouse.move(0, 0)
            except PlaywrightError:
                pass
            capture.interactions = self.log

    def _install(self, frame: Frame) -> bool:
        config = {"morePattern": self.settings.more_pattern, "nextPattern": self.settings.next_pattern,
                  "avoidPattern": self.settings.avoid_pattern}
        try:
            frame.evaluate(self.probe, {**self.probe_options, "expose": True})
            if not frame.evaluate(INTERACT, config):
                return False
            frame.evaluate(f"() => {API}.watch()")
            frame.evaluate(f"() => {API}.hold(true)")
            return True
        except PlaywrightError:
            return False  # a frame that detached or cannot run scripts

    def _over(self) -> bool:
        """Whether to stop: the caller has what it needs, or the budget is spent."""
        if self.finished:
            return True
        assert self.capture is not None
        self._drain()
        if _holds(self.done, self.capture) or time.monotonic() >= self.deadline:
            self.finished = True
        return self.finished

    def _spend(self) -> bool:
        if self._over() or self.actions >= self.settings.max_actions:
            self.finished = True
            return False
        self.actions += 1
        return True

    def _call(self, frame: Frame, script: str, arg: Any = None) -> Any:
        try:
            return frame.evaluate(script, arg)
        except PlaywrightError:
            return None

    # -- recording -------------------------------------------------------------------------------

    def _add(self, step: Step, went: list[dict[str, str]]) -> None:
        """Destinations the page would have gone to during `step`."""
        assert self.capture is not None
        for place in went:
            self.capture.links.append(Link(href=place.get("href") or "", raw=place.get("raw") or "", text=step.text,
                                           kind=step.kind, visible=True, hidden_reason=None,
                                           frame_url=step.frame_url, section=step.section,
                                           reached_by=step.reached_by))

    def _shown(self, frame: Frame, links: list[dict[str, str]], reached_by: str) -> None:
        """Hidden links an action brought into view."""
        assert self.capture is not None
        for data in links:
            self.capture.links.append(Link(href=data["href"], raw=data["raw"], text=data["text"], kind=data["kind"],
                                           visible=True, hidden_reason=None, frame_url=frame.url,
                                           section=data["section"], reached_by=reached_by))

    def _drain(self) -> None:
        """Navigations the network saw (a pop-up, a frame sending the whole page elsewhere)."""
        caught, self.hold.caught = self.hold.caught, []
        for url, step in caught:
            if step is not None:
                self._add(step, [{"href": url, "raw": url}])

    def _act(self, frame: Frame, step: Step, script: str, arg: Any) -> dict[str, Any]:
        self.hold.step = step
        result = self._call(frame, script, arg) or {"went": [], "revealed": []}
        self._add(step, result.get("went") or [])
        return result

    def _await_shown(self, frame: Frame, hider: int | None = None) -> tuple[list[dict[str, str]], bool]:
        """Hidden links that came into view, and whether the hidden block `hider` is shown now, given the
        page `reaction` seconds (a menu that fades in, a carousel that slides)."""
        until = time.monotonic() + self.settings.reaction
        while True:
            shown = self._call(frame, f"() => {API}.revealed()") or []
            opened = hider is not None and bool(self._call(frame, f"(id) => {API}.shown(id)", hider))
            if shown or opened or time.monotonic() >= until or time.monotonic() >= self.deadline:
                return shown, opened
            self.page.wait_for_timeout(80)

    # -- the phases ------------------------------------------------------------------------------

    def _selects(self, frame: Frame, root: int | None = None, after: str = "") -> None:
        for select in self._call(frame, f"(root) => {API}.selects(root)", root) or []:
            button = select.get("button")
            name = f" {_quoted(select['name'])}" if select.get("name") else " chọn"
            self.log.append(f"chọn lần lượt {len(select['options'])} mục trong danh sách{name}" + after)
            for option in select["options"]:
                if not self._spend():
                    return
                reached = option["reached_by"] + after
                step = Step("option", option["text"], select["section"], reached, frame.url)
                self.hold.step = step
                result = self._call(frame, f"(a) => {API}.choose(a.select, a.index, a.button)",
                                    {"select": select["id"], "index": option["index"],
                                     "button": button["id"] if button else None}) or {}
                if result.get("button"):
                    # The list only acts once its button is pressed: say so.
                    step = Step("option", option["text"], select["section"],
                                f"{option['reached_by']} rồi bấm {_quoted(button['label'])}{after}", frame.url)
                self._add(step, result.get("went") or [])
                self._shown(frame, result.get("revealed") or [], reached)

    def _clickables(self, frame: Frame, root: int | None = None, after: str = "") -> None:
        items = self._call(frame, f"(root) => {API}.clickables(root)", root) or []
        if items:
            self.log.append(f"bấm vào {len(items)} phần tử có tác dụng như liên kết" + after)
        for item in items:
            if ("click", item["id"]) in self.tried:
                continue
            if not self._spend():
                return
            self.tried.add(("click", item["id"]))
            name = _quoted(item["label"])
            result = self._act(frame, Step(item["kind"], item["label"], item["section"], f"bấm vào {name}{after}",
                                           frame.url), f"(id) => {API}.click(id)", item["id"])
            self._shown(frame, result.get("revealed") or [], f"hiển thị khi bấm vào {name}{after}")
            if self.finished:
                return

    def _reveal(self, frame: Frame, root: int | None = None, after: str = "", depth: int = 0) -> None:
        while not self._over():
            plan = self._call(frame, f"(root) => {API}.groups(root)", root)
            if not plan:
                return
            self._shown(frame, plan["marquee"], "hiển thị khi dòng chữ chạy (marquee) cuộn tới" + after)
            pick = next(((group, trigger) for group in plan["groups"] for trigger in group["triggers"]
                         if (trigger["action"], trigger["id"]) not in self.tried), None)
            if pick is None:
                return
            group, trigger = pick
            self.tried.add((trigger["action"], trigger["id"]))
            reached = self._trigger(frame, group, trigger, after)
            if reached and depth < 2 and not self._over():
                # What the action showed may itself hold link lists, elements acting as links, or
                # deeper menus: while it is shown (the pointer still on the menu), act on those too.
                inner = f" (sau khi {reached})"
                self._selects(frame, group["id"], inner)
                self._clickables(frame, group["id"], inner)
                self._reveal(frame, group["id"], inner, depth + 1)

    def _trigger(self, frame: Frame, group: dict[str, Any], trigger: dict[str, Any], after: str) -> str:
        """Performs one trigger; how it is described when it showed the hidden block, '' when not."""
        if not self._spend():
            return ""
        name = _quoted(trigger["label"])
        hider = None if group["clip"] else group["id"]
        if trigger["action"] == "hover":
            action = f"di chuột vào {name}"
            self.log.append(action + after)
            try:
                handle = frame.evaluate_handle(f"(id) => {API}.element(id)", trigger["id"]).as_element()
                if handle is None:
                    return ""
                handle.hover(force=True, timeout=3000)
            except PlaywrightError:
                return ""
            shown, opened = self._await_shown(frame, hider)
            self._shown(frame, shown, f"hiển thị khi {action}{after}")
            return action if shown or opened else ""
        action = f"bấm vào {name}"
        self.log.append(action + after)
        presses = min(15, group["links"] + 2) if trigger["repeat"] else 1
        idle = 0
        showed = False
        for press in range(1, presses + 1):
            if press > 1 and not self._spend():
                break
            step = Step(trigger["kind"], trigger["label"], "", f"bấm vào {name}{after}", frame.url)
            result = self._act(frame, step, f"(id) => {API}.click(id)", trigger["id"])
            shown, opened = result.get("revealed") or [], False
            if not shown:
                shown, opened = self._await_shown(frame, hider)
            times = f" {press} lần" if press > 1 else ""
            self._shown(frame, shown, f"hiển thị khi {action}{times}{after}")
            showed = showed or bool(shown) or opened
            idle = 0 if shown else idle + 1
            if idle >= 3 or opened and not trigger["repeat"] or self._over():
                break
        return action if showed else ""

    def _carousels(self, frame: Frame) -> None:
        """Carousels that move on by themselves: watched a while when links are still cut off in one."""
        plan = self._call(frame, f"() => {API}.groups(null)")
        if not plan or not any(group["clip"] for group in plan["groups"]) or self.settings.carousel_wait <= 0:
            return
        self.log.append("chờ băng chuyền tự chuyển")
        until = min(self.deadline, time.monotonic() + self.settings.carousel_wait)
        while time.monotonic() < until and not self._over():
            self._shown(frame, self._call(frame, f"() => {API}.revealed()") or [], "hiển thị khi băng chuyền tự chuyển")
            self.page.wait_for_timeout(250)


def _holds(test: Callable[[Capture], bool], capture: Capture) -> bool:
    try:
        return test(capture)
    except Exception:  # noqa: BLE001 - a defect in the caller's test only means "keep going"
        return False
