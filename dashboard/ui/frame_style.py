"""The style every page shares, put into the app's frame once a run by ``dashboard/app.py``: a visible keyboard focus.

Streamlit marks focus on its navigation and page links with a faint tint (1.1:1 against the sidebar) and on some
controls not at all. WCAG 2.2 AA asks for a focus indicator that can be seen (2.4.7) with at least 3:1 against what
is next to it (1.4.11). Every control that takes the keyboard gets a solid outline in the theme's dark blue, set
clear of the control, with a white ring in the gap, so what touches it is the page or sidebar behind or the ring,
never the control's own fill; controls whose real input is hidden or boxed (radio buttons, sliders, select boxes,
text and date inputs) show it on the part that is drawn. ``tests/test_browser_accessibility.py`` measures the outline on every control it tabs to.

Pure: no Streamlit.
"""

from __future__ import annotations

# The theme's primary colour (.streamlit/config.toml): 10.2:1 on the white page, 9.3:1 on the grey sidebar.
FOCUS_COLOUR = "#12436D"
FOCUS_WIDTH_PX = 3
FOCUS_OFFSET_PX = 2

# A white ring fills the gap between the control and its outline: where the outline crosses something as dark as
# itself (a slider's thumb on its filled track, 1:1), the ring beside it stands out at 10.2:1 instead.
FOCUS_RING = "#FFFFFF"
_OUTLINE = (
    f"outline: {FOCUS_WIDTH_PX}px solid {FOCUS_COLOUR} !important; outline-offset: {FOCUS_OFFSET_PX}px; "
    f"box-shadow: 0 0 0 {FOCUS_OFFSET_PX}px {FOCUS_RING} !important;"
)
# What shows focus: whatever has it, and the part a widget draws where its real input is hidden (a radio option, a
# slider's thumb) or sits flush inside a box (a select box, a multiselect, a date field): Streamlit's widgets mark
# that part ``data-focus-visible`` when the keyboard put focus there.
_SHOWN = (":focus-visible", "[data-focus-visible]", "[data-testid='stTextInputRootElement']:has(:focus-visible)")
# Inside a box that shows the focus, the focused input's own outline and ring would be cut off by the box and draw a
# second frame inside it: the box has them.
_INSIDE = (
    "[role='group'][data-focus-visible] :focus-visible",
    "[role='group'][data-focus-visible] [data-focus-visible]",
    "[data-testid='stTextInputRootElement'] input",
)

# A collapsed sidebar (Streamlit collapses it on narrow windows and at 200% zoom) is only slid off screen, so the
# keyboard went on through its hidden controls; hidden, it leaves the tab order until it is opened again.
_COLLAPSED = (
    "[data-testid='stSidebar'][data-collapsed='true'], [data-testid='stSidebar'][data-collapsed='true'] * "
    "{ visibility: hidden !important; }"
)

FRAME_STYLE = (
    f"<style>\n{', '.join(_SHOWN)} {{ {_OUTLINE} }}\n"
    f"{', '.join(_INSIDE)} {{ outline: none !important; box-shadow: none !important; }}\n{_COLLAPSED}\n</style>"
)
